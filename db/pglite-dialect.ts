import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * Kysely dialect over embedded PGlite. `kysely-pglite-dialect` only declares PGlite ≤ 0.4, so we
 * keep this small one. PGlite is a single connection: callers queue for it, which also makes each
 * transaction exclusive.
 */
export type PGliteOptions = {
  /** Longest wait in the queue for the connection; then the query fails (like pg-pool's). */
  acquireTimeoutMs?: number;
};

export class PGliteDialect implements Dialect {
  readonly #open: () => Promise<PGlite>;
  readonly #onClose: () => void;
  readonly #options: PGliteOptions;

  /** `open` runs once, on first use; `onClose` after PGlite has closed. */
  constructor(
    open: () => Promise<PGlite>,
    onClose: () => void = () => {},
    options: PGliteOptions = {},
  ) {
    this.#open = open;
    this.#onClose = onClose;
    this.#options = options;
  }

  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#open, this.#onClose, this.#options.acquireTimeoutMs);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  readonly #open: () => Promise<PGlite>;
  readonly #onClose: () => void;
  #connection: PGliteConnection | undefined;
  #queue: Promise<void> = Promise.resolve();
  readonly #acquireTimeoutMs: number | undefined;

  constructor(open: () => Promise<PGlite>, onClose: () => void, acquireTimeoutMs?: number) {
    this.#open = open;
    this.#onClose = onClose;
    this.#acquireTimeoutMs = acquireTimeoutMs;
  }

  async init() {
    const pglite = await this.#open();
    await pglite.waitReady;
    this.#connection = new PGliteConnection(pglite);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await this.#waitForTurn(previous, release);
    const connection = this.#connection!;
    connection.release = release;
    return connection;
  }

  /**
   * Waits for the caller's turn, at most acquireTimeoutMs. A caller that gave up still holds its
   * place in the queue: its turn is passed straight on when it comes.
   */
  async #waitForTurn(previous: Promise<void>, release: () => void) {
    const ms = this.#acquireTimeoutMs;
    if (!ms) return previous;
    let gaveUp = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        gaveUp = true;
        reject(new Error(`timeout exceeded when trying to connect (PGlite busy for ${ms} ms)`));
      }, ms);
    });
    void previous.then(() => {
      if (gaveUp) release();
    });
    try {
      await Promise.race([previous, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${level}`));
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async releaseConnection(connection: DatabaseConnection) {
    (connection as PGliteConnection).release();
  }

  async destroy() {
    await this.#queue;
    await this.#connection?.pglite.close();
    this.#connection = undefined;
    this.#onClose();
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly pglite: PGlite;
  release: () => void = () => {};

  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(query.sql, [...query.parameters], {
      rowMode: 'object',
    });
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on PGlite; page with keysets instead.');
  }
}

function quoteIdent(name: string) {
  return `"${name.replaceAll('"', '""')}"`;
}

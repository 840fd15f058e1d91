import { migrateToLatest } from '#db/migrate';
import { seedDemo, type SeedReport } from '#db/seed';
import { closeDb, getDb, withoutStatementTimeout } from './db';
import { getEnv, requireMailSettings } from './env';
import { closeHealthCheck } from './health';
import { logger } from './logger';
import { startMailSender } from './mail';
import { rerenderStaleMarkdown } from './markdown';
import { sweepParkedForms } from './parked-forms';
import { sweepRateLimits } from './rate-limits';
import { compactResults } from './results';

const SWEEP_INTERVAL_MS = 3600_000;

export type StartupReport = {
  port: number;
  host: string;
  trustProxyHops: number;
  /** APP_URL's scheme, host and port: where form posts must come from, when it is set. */
  siteOrigin: string | null;
  isProduction: boolean;
  database: string;
  /** Where email goes: 'smtp', or 'outbox' (kept in the database, read at /dev/outbox). */
  mail: 'smtp' | 'outbox';
  migrated: string[];
  seed: SeedReport | null;
  /** How long SIGTERM waits for requests in flight before cutting them (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** How long a client may take to send a request, and its headers (server.js enforces them). */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
};

// Timers started here, stopped by shutdown() so nothing touches the database once it is closed.
const stopBackgroundWork: (() => void)[] = [];

/**
 * Opens the database, migrates it and, when demo data is on, seeds it. Runs once per process
 * before the server listens: opening PGlite is slow, and two processes must never migrate one
 * PGlite folder at once.
 */
export async function startup(): Promise<StartupReport> {
  const env = getEnv();
  requireMailSettings(env);
  const db = getDb();
  const { migration, seed } = await withoutStatementTimeout(db, async (connection) => {
    const migration = await migrateToLatest(connection);
    const seed = env.seedDemo
      ? await seedDemo(connection, { sampleResponses: env.SEED_RESPONSES })
      : null;
    // Before the server listens, so no page shows a text without its current HTML.
    const rerendered = await rerenderStaleMarkdown(connection);
    if (rerendered > 0) logger.info('rendered stored markdown again', { texts: rerendered });
    await sweepRateLimits(connection);
    await sweepParkedForms(connection);
    await compactResults(connection);
    return { migration, seed };
  });
  stopBackgroundWork.push(startMailSender(db));
  const sweep = setInterval(() => {
    sweepRateLimits(getDb()).catch((error: unknown) =>
      logger.warn('sweeping old rate-limit counters failed', { error: String(error) }),
    );
    compactResults(getDb()).catch((error: unknown) =>
      logger.warn('folding results counter shards failed', { error: String(error) }),
    );
    sweepParkedForms(getDb()).catch((error: unknown) =>
      logger.warn('sweeping expired parked forms failed', { error: String(error) }),
    );
  }, SWEEP_INTERVAL_MS).unref();
  stopBackgroundWork.push(() => clearInterval(sweep));
  return {
    port: env.PORT,
    host: env.HOST,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    siteOrigin: env.APP_URL ? new URL(env.APP_URL).origin : null,
    isProduction: env.isProduction,
    mail: env.mailTransport,
    database: env.DATABASE_URL ? redactUrl(env.DATABASE_URL) : `PGlite at ${env.PGLITE_DIR}`,
    migrated: (migration.results ?? []).map((r) => r.migrationName),
    seed,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    // Node requires the headers' limit to be no longer than the whole request's.
    headersTimeoutMs: Math.min(env.HEADERS_TIMEOUT_MS, env.REQUEST_TIMEOUT_MS),
  };
}

let draining = false;

/**
 * SIGTERM's first step (server.js): from now on /readyz answers 503 so load balancers stop
 * sending new requests, while the requests in flight finish.
 */
export function beginDrain() {
  draining = true;
}

export function isDraining() {
  return draining;
}

export async function shutdown() {
  draining = true;
  for (const stop of stopBackgroundWork.splice(0)) stop();
  await closeHealthCheck();
  await closeDb();
}

function redactUrl(url: string) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return `Postgres at ${parsed.toString()}`;
  } catch {
    return 'Postgres';
  }
}

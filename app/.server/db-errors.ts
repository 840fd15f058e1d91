/**
 * Which failures mean "the database is unavailable or too slow just now" rather than a bug: a
 * person gets a 503 with Retry-After and everything they typed, and the process carries on.
 * Codes are Postgres SQLSTATEs; messages are what `pg`, `pg-pool` and Node's sockets say.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
  '25P03', // idle_in_transaction_session_timeout
  '57P01', // admin_shutdown: pg_terminate_backend, or `pg_ctl stop -m fast`
  '57P02', // crash_shutdown: `pg_ctl stop -m immediate`
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '40001', // serialization_failure: a retry will do
  '40P01', // deadlock_detected: likewise
]);

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  // A transaction's rollback on a connection that had just died: it hides the original 57P01.
  'Client was closed and is not queryable',
  'The database did not answer in time',
];

/** The error a bounded wait gives up with (PGlite's queue, the health check). */
export class DatabaseTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`The database did not answer in time (${what}, ${ms} ms)`);
    this.name = 'DatabaseTimeoutError';
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseTimeoutError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (code.startsWith('08')) return true; // connection_exception and its subclasses
    if (UNAVAILABLE_NODE_CODES.has(code)) return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) {
    return true;
  }
  // AggregateError (several addresses refused) and wrapped errors.
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested) && nested.length > 0 && nested.every(isDatabaseUnavailable)) {
    return true;
  }
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause);
}

/** Seconds a person is asked to wait before trying again after the database was unavailable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

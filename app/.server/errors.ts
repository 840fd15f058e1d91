export type DomainErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'conflict'
  | 'closed'
  | 'rate_limited'
  | 'suspended'
  | 'unconfirmed'
  | 'invalid';

/** A broken business rule. Routes map it to an HTTP status once, in `http.ts`. */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** Field-level messages, for rules that belong to one form field. */
  readonly fieldErrors: Record<string, string[]>;
  readonly retryAfterSeconds: number | undefined;
  /** A page that helps, shown with the message (e.g. where to confirm an email address). */
  readonly link: { href: string; text: string } | null;
  /** What the person had typed, when the error cut a form short (see `http.ts`). */
  formValues: Record<string, string> | undefined;

  constructor(
    code: DomainErrorCode,
    message: string,
    options: {
      fieldErrors?: Record<string, string[]>;
      retryAfterSeconds?: number;
      link?: { href: string; text: string };
    } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.fieldErrors = options.fieldErrors ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.link = options.link ?? null;
  }
}

export const notFound = (what = 'page') =>
  new DomainError('not_found', `We could not find that ${what}.`);
export const forbidden = (message = 'You do not have permission to do that.') =>
  new DomainError('forbidden', message);
export const conflict = (message: string) => new DomainError('conflict', message);

/** Postgres unique_violation, as reported by both pg and PGlite. */
export function isUniqueViolation(error: unknown, constraint?: string) {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e.code !== '23505') return false;
  return !constraint || e.constraint === constraint || !!e.message?.includes(constraint);
}

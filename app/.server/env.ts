import path from 'node:path';
import { z } from 'zod';

const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  PGLITE_DIR: z.string().default('.data/pglite'),
  /** Create the demo accounts and consultation at start. Defaults to on, except in production. */
  SEED_DEMO: booleanString.optional(),
  /** Sample responses seeded with the demo consultation, for the results pages. */
  SEED_RESPONSES: z.coerce.number().int().min(0).max(100_000).default(3000),
  /** Number of proxies in front of the app whose X-Forwarded-For may be trusted. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  /** smtp://user:pass@host:587 or smtps://…: where email is sent. Unset keeps it in the outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL')
    .optional(),
  /** The From address of every email, e.g. "Open Consultation <noreply@example.org>". */
  MAIL_FROM: z.string().min(3).optional(),
  /** The site's public address, for the links in emails, e.g. https://consult.example.org. */
  APP_URL: z
    .url({ protocol: /^https?$/, error: 'APP_URL must be an http(s):// address' })
    .optional(),
  /** Who runs this site, named in the site-wide privacy notice and the statements. */
  SITE_OPERATOR: z.string().min(1).max(200).default('The operator of this Open Consultation site'),
  /** Where people write about privacy, accessibility or anything else; shown on /contact. */
  CONTACT_EMAIL: z.email({ error: 'CONTACT_EMAIL must be an email address' }).optional(),
  /**
   * Where to report a vulnerability, for /.well-known/security.txt (RFC 9116): a mailto:,
   * https:// or tel: URI. Unset: mailto:CONTACT_EMAIL, or else the site's /contact page.
   */
  SECURITY_CONTACT: z
    .string()
    .regex(/^(mailto:\S+@\S+|https:\/\/\S+|tel:\+?[\d-]+)$/, {
      error: 'SECURITY_CONTACT must be a mailto:, https:// or tel: URI',
    })
    .optional(),
  /** The published security policy, linked from security.txt as its Policy; unset leaves it out. */
  SECURITY_POLICY_URL: z
    .url({ protocol: /^https$/, error: 'SECURITY_POLICY_URL must be an https:// address' })
    .optional(),
  // Every wait on the database is bounded (see README "Timeouts"): a stalled database or a held
  // lock turns into a "try again" page within these limits instead of a hung request.
  /** Connections per process in the Postgres pool. */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Longest wait for a pooled connection (or for PGlite's single one) before giving up. */
  DB_CONNECT_TIMEOUT_MS: milliseconds(5_000),
  /** Longest any one SQL statement may run. */
  DB_STATEMENT_TIMEOUT_MS: milliseconds(15_000),
  /** Longest a statement waits for a row or table lock held by someone else. */
  DB_LOCK_TIMEOUT_MS: milliseconds(5_000),
  /** A transaction left open and idle this long is ended by Postgres, releasing its locks. */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: milliseconds(30_000),
  /** How long /healthcheck and /readyz wait for the database before saying it is down. */
  HEALTH_TIMEOUT_MS: milliseconds(2_000),
  /** Longest a client may take to send a whole request, body included (a slow-loris cut). */
  REQUEST_TIMEOUT_MS: milliseconds(30_000),
  /** Longest a client may take to send a request's headers. */
  HEADERS_TIMEOUT_MS: milliseconds(20_000),
  /** On SIGTERM, how long requests in flight may take to finish before they are cut. */
  SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
});

function milliseconds(fallback: number) {
  return z.coerce.number().int().min(1).max(3_600_000).default(fallback);
}

export type Env = z.infer<typeof EnvSchema> & {
  isProduction: boolean;
  seedDemo: boolean;
  /** 'smtp' sends through SMTP_URL; 'outbox' keeps mail in the database, read at /dev/outbox. */
  mailTransport: 'smtp' | 'outbox';
  mailFrom: string;
};

let cached: Env | undefined;

/** The validated environment; the only place that reads process.env. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';
  cached = {
    ...env,
    PGLITE_DIR: path.resolve(env.PGLITE_DIR),
    isProduction,
    seedDemo: env.SEED_DEMO ?? !isProduction,
    mailTransport: env.SMTP_URL ? 'smtp' : 'outbox',
    mailFrom: env.MAIL_FROM ?? 'Open Consultation <noreply@localhost>',
  };
  return cached;
}

/**
 * In production mail must really leave, with links that point at the public site: a missing
 * setting would silently strand every confirmation and reset link. Checked by the server at
 * start (not by command-line tasks such as db:grant, which only queue mail).
 */
export function requireMailSettings(env: Env) {
  if (!env.isProduction) return;
  const missing = (['SMTP_URL', 'MAIL_FROM', 'APP_URL'] as const).filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} must be set in production: the site sends email.`);
  }
}

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
  /** Who runs this site, named in the site-wide privacy notice and the statements. */
  SITE_OPERATOR: z.string().min(1).max(200).default('The operator of this Open Consultation site'),
  /** Where people write about privacy, accessibility or anything else; shown on /contact. */
  CONTACT_EMAIL: z.email({ error: 'CONTACT_EMAIL must be an email address' }).optional(),
});

export type Env = z.infer<typeof EnvSchema> & { isProduction: boolean; seedDemo: boolean };

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
  };
  return cached;
}

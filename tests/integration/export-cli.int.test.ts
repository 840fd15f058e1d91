import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Kysely } from 'kysely';
import { expect, test } from 'vitest';
import { createDialect } from '#db/dialect';
import type { DB } from '#db/schema';
import { cliFolder } from '#tests/support/cli';
import {
  createConsultation,
  createRecommendation,
  insertSubmittedResponse,
} from '#tests/support/factories';

const { dataDir, run, restoreMigrated } = cliFolder('export-cli');

test('npm run export writes a download to a file, records it, and refuses what it cannot do', async () => {
  await restoreMigrated();
  const db = new Kysely<DB>({ dialect: createDialect({ kind: 'pglite', dir: dataDir }, () => {}) });
  const consultation = await createConsultation(db, { status: 'open' });
  const recommendation = await createRecommendation(db, consultation.id);
  for (const consent of ['named', 'private'] as const) {
    await insertSubmittedResponse(db, consultation.id, {
      consent,
      answers: [{ recommendationId: recommendation.id, stance: 'support', reasons: consent }],
    });
  }
  await db.destroy();

  const out = path.join(path.dirname(dataDir), 'long.csv');
  const done = run('db/export-cli.ts', consultation.slug, '--out', out);
  expect(done.output).toContain(`Wrote 2 rows of ${consultation.slug}-responses-long.csv`);
  expect(done.status).toBe(0);
  const rows = parse(readFileSync(out), { bom: true, columns: true }) as Record<string, string>[];
  expect(rows.map((r) => r.reasons).sort()).toEqual(['named', 'private']);

  // Without --out the file goes to standard output, the messages to standard error.
  const json = run(
    'db/export-cli.ts',
    consultation.slug,
    '--data',
    'audit-log',
    '--format',
    'json',
  );
  expect(json.status).toBe(0);
  const log = JSON.parse(json.stdout) as { rows: { action: string; after: string }[] };
  expect(
    log.rows
      .filter((r) => r.action === 'consultation.data_exported')
      .map((r) => JSON.parse(r.after)),
  ).toEqual([
    { file: 'audit-log.json', via: 'command line' },
    { file: 'responses-long.csv', via: 'command line' },
  ]);

  const unknown = run('db/export-cli.ts', 'no-such-consultation');
  expect(unknown.status).toBe(1);
  expect(unknown.output).toContain('No consultation has the slug "no-such-consultation".');
  const bad = run('db/export-cli.ts', consultation.slug, '--data', 'passwords');
  expect(bad.status).toBe(1);
  expect(bad.output).toContain('Unknown --data or --format');
}, 300_000);

import { PGlite } from '@electric-sql/pglite';
import { expect, test } from 'vitest';
import { cliFolder } from '#tests/support/cli';

const { dataDir, run, restoreMigrated } = cliFolder('retention-cli');

test('data:retention lists with --dry-run, then purges an expired consultation once, and the rollups still check', async () => {
  await restoreMigrated();
  const first = run('db/retention-cli.ts', '--dry-run');
  expect(first.output).toContain('No consultation is past its retention period');
  expect(first.status).toBe(0);

  const pglite = await PGlite.create(dataDir);
  const { rows } = await pglite.query<{ id: string }>(
    `insert into consultations (slug, title, summary, run_by, status, opens_at, closes_at, privacy_retention_months)
     values ('old-one', 'Old', 'S', 'R', 'closed', now() - interval '200 days', now() - interval '100 days', 1)
     returning id`,
  );
  const consultationId = rows[0]!.id;
  const user = await pglite.query<{ id: string }>(
    `insert into users (email, password_hash) values ('old@example.test', 'x') returning id`,
  );
  await pglite.query(
    `insert into responses (consultation_id, user_id, status, reference, current_version, segment,
       display_name, consent, first_submitted_at, last_submitted_at)
     values ($1, $2, 'submitted', 'AAAA-0001', 1, 'founder', 'Old Person', 'named',
       now() - interval '150 days', now() - interval '150 days')`,
    [consultationId, user.rows[0]!.id],
  );
  await pglite.close();

  const dry = run('db/retention-cli.ts', '--dry-run');
  expect(dry.output).toContain('Would purge old-one');
  expect(dry.output).toContain('1 response,');
  expect(dry.status).toBe(0);

  const done = run('db/retention-cli.ts');
  expect(done.output).toContain('Purged old-one');
  expect(done.status).toBe(0);
  expect(run('db/retention-cli.ts').output).toContain('No consultation is past');

  const check = await PGlite.create(dataDir);
  const left = await check.query<{ user_id: string | null; display_name: string | null }>(
    `select user_id, display_name from responses where consultation_id = $1`,
    [consultationId],
  );
  await check.close();
  expect(left.rows).toEqual([{ user_id: null, display_name: null }]);
  expect(run('db/results-cli.ts', '--check').status).toBe(0);
  expect(run('db/retention-cli.ts', '--frobnicate').status).toBe(1);
}, 300_000);

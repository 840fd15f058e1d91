import { PGlite } from '@electric-sql/pglite';
import { expect, test } from 'vitest';
import { cliFolder } from '#tests/support/cli';

// Starts on an empty folder, as an operator's first run does: the command migrates it.
const { dataDir, run } = cliFolder('results-cli');
const rebuild = (...args: string[]) => run('db/results-cli.ts', ...args);

test('results:rebuild --check passes on sound rollups, lists drift and fails, and a rebuild repairs it', async () => {
  const first = rebuild('--check');
  expect(first.output).toContain('Check passed');
  expect(first.status).toBe(0);

  // Drift the rollups behind the triggers' back: one response counted that was never submitted.
  const pglite = await PGlite.create(dataDir);
  const { rows } = await pglite.query<{ id: string }>(
    `insert into consultations (slug, title, summary, run_by) values ('c', 'C', 'S', 'R') returning id`,
  );
  await pglite.query(
    `insert into result_response_counts (consultation_id, day, segment, verified, shard, responses)
     values ($1, '2026-11-30', 'investor', true, 3, 1)`,
    [rows[0]!.id],
  );
  await pglite.close();

  const drifted = rebuild('--check');
  expect(drifted.status).toBe(1);
  expect(drifted.output).toContain('Check failed: 1 differences');
  expect(drifted.output).toContain('result_response_counts');
  expect(drifted.output).toContain('responses: stored 1, expected 0');

  const repaired = rebuild();
  expect(repaired.output).toContain('Rebuilt every results rollup');
  expect(repaired.output).toContain('Check passed');
  expect(repaired.status).toBe(0);
  expect(rebuild('--check').status).toBe(0);

  expect(rebuild('--frobnicate')).toMatchObject({ status: 1 });
}, 300_000);

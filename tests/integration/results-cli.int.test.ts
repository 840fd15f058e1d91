import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, expect, test } from 'vitest';

// The command itself, as an operator runs it, against a PGlite folder of its own.
const dir = mkdtempSync(path.join(os.tmpdir(), 'oc-results-cli-'));
const dataDir = path.join(dir, 'pglite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rebuild(...args: string[]) {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'db/results-cli.ts', ...args], {
    env: { ...env, PGLITE_DIR: dataDir, SEED_DEMO: 'false' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

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

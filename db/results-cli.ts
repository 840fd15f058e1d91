// `npm run results:rebuild` recomputes every results rollup from the rows it counts;
// `npm run results:rebuild -- --check` only compares, printing each difference, and exits 1 if
// any. Against PGlite, stop the server first: the data folder is locked while it runs.
import { closeDb, getDb } from '~/.server/db';
import { getEnv } from '~/.server/env';
import { checkResults, rebuildResults, type RollupMismatch } from '~/.server/results';
import { migrateToLatest } from './migrate';

const SHOWN = 50;

function describe(m: RollupMismatch) {
  const key = Object.entries(m.key)
    .map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString().slice(0, 10) : String(v)}`)
    .join(' ');
  return `  ${m.table} [${key}] ${m.column}: stored ${m.stored}, expected ${m.expected}`;
}

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length)
    throw new Error(`Unknown option ${unknown[0]}. Usage: results:rebuild [-- --check]`);
  const env = getEnv();
  console.log(
    `Database: ${env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `PGlite at ${env.PGLITE_DIR}`}`,
  );
  const db = getDb({ longRunning: true });
  await migrateToLatest(db);
  if (!args.includes('--check')) {
    const started = performance.now();
    const { scored } = await rebuildResults(db);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Rebuilt every results rollup in ${seconds} s (${scored} texts scored first).`);
  }
  const mismatches = await checkResults(db);
  if (mismatches.length === 0) {
    console.log('Check passed: every rollup matches a from-scratch aggregation.');
    return;
  }
  console.error(`Check failed: ${mismatches.length} differences between rollups and the data.`);
  for (const m of mismatches.slice(0, SHOWN)) console.error(describe(m));
  if (mismatches.length > SHOWN) console.error(`  … and ${mismatches.length - SHOWN} more`);
  console.error('Run `npm run results:rebuild` to repair them.');
  process.exitCode = 1;
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());

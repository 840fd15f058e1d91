// `npm run data:retention` removes the personal data of every consultation closed longer than
// its retention period (see the README's privacy section); `-- --dry-run` only lists what it
// would remove. Run it daily from cron. Against PGlite, stop the server first: the data folder
// is locked while it runs.
import { closeDb, getDb } from '~/.server/db';
import { getEnv } from '~/.server/env';
import { purgeExpiredPersonalData } from '~/.server/privacy';
import { migrateToLatest } from './migrate';
import { plural } from '~/lib/plural';

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--dry-run');
  if (unknown.length)
    throw new Error(`Unknown option ${unknown[0]}. Usage: data:retention [-- --dry-run]`);
  const dryRun = args.includes('--dry-run');
  const env = getEnv();
  console.log(
    `Database: ${env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `PGlite at ${env.PGLITE_DIR}`}`,
  );
  const db = getDb({ longRunning: true });
  await migrateToLatest(db);
  const items = await purgeExpiredPersonalData(db, { dryRun });
  if (items.length === 0) {
    console.log('No consultation is past its retention period with personal data left.');
    return;
  }
  for (const item of items) {
    console.log(
      `${dryRun ? 'Would purge' : 'Purged'} ${item.slug} (closed ${item.closesAt.toISOString().slice(0, 10)}, ` +
        `kept ${plural(item.retentionMonths, 'month', 'months')}): ${plural(item.responses, 'response', 'responses')}, ` +
        `${plural(item.comments, 'comment', 'comments')}, ${plural(item.endorsements, 'endorsement', 'endorsements')}.`,
    );
  }
  if (dryRun) console.log('Dry run: nothing was changed.');
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());

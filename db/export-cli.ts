// `npm run export -- <slug> [--data responses-long] [--format csv|json] [--out file]` writes one
// of the organiser's downloads (app/.server/exports) to a file, or to standard output without
// --out, streamed a batch at a time, with a progress bar when standard error is a terminal. The
// download is recorded in the consultation's audit log as made from the command line. Against
// PGlite, stop the server first: the data folder is locked while it runs.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { closeDb, getDb } from '~/.server/db';
import { getEnv } from '~/.server/env';
import { openOrganiserExport } from '~/.server/exports';
import { EXPORT_DATASETS, EXPORT_FORMATS, parseExportFile } from '~/lib/schemas/exports';
import { migrateToLatest } from './migrate';

const USAGE = `Usage: npm run export -- <consultation slug> [--data ${EXPORT_DATASETS.join('|')}] [--format ${EXPORT_FORMATS.join('|')}] [--out file]`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      data: { type: 'string', default: 'responses-long' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
    },
  });
  const [slug, ...extra] = positionals;
  if (!slug || extra.length) throw new Error(USAGE);
  const file = parseExportFile(`${values.data}.${values.format}`);
  if (!file) throw new Error(`Unknown --data or --format. ${USAGE}`);

  const env = getEnv();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`Database: ${env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `PGlite at ${env.PGLITE_DIR}`}`);
  const db = getDb({ longRunning: true });
  await migrateToLatest(db);

  const progress = process.stderr.isTTY
    ? new SingleBar(
        { format: ' {bar} {percentage}% | {value}/{total} rows | {duration}s', hideCursor: true },
        Presets.shades_classic,
      )
    : null;
  let written = 0;
  const download = await openOrganiserExport(db, null, slug, file, {
    via: 'command line',
    onBatch(rows) {
      written += rows.length;
      progress?.update(written);
    },
  });
  progress?.start(await download.rows(), 0);
  const target = values.out ? createWriteStream(values.out) : process.stdout;
  try {
    await pipeline(download.stream, target);
  } finally {
    progress?.stop();
  }
  log(
    `Wrote ${written.toLocaleString('en-GB')} rows of ${download.filename}${values.out ? ` to ${values.out}` : ''}.`,
  );
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());

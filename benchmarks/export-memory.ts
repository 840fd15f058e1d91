// `npm run bench:export`: does an organiser download stay in constant memory whatever the
// consultation's size? Loads a small consultation (10,000 responses) and a large one
// (BENCH_RESPONSES, default 100,000) into a fresh database (Postgres at TEST_DATABASE_URL in a
// schema of its own if reachable, else in-memory PGlite: there the database itself lives in this
// process's memory, so read the Postgres figures), then streams each download of both to a sink
// that only counts bytes, reading the live heap (after a collection) every ten batches. Each large figure is reported as a
// ratio of the small one measured in the same run. For contrast it also reads the large
// consultation's answers in one query, as a non-streaming export would.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { migrateToLatest } from '#db/migrate';
import { openOrganiserExport } from '~/.server/exports';
import { EXPORT_FORMATS, type ExportFile } from '~/lib/schemas/exports';
import { loadConsultation, loadTexts } from './sample-consultation';
import { openBenchDatabase } from './support';

const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_RESPONSES ?? 100_000);
const TARGET_RATIO = 1.5;
const MB = 1024 * 1024;
const FLOOR = 8 * MB;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('Run with node --expose-gc (npm run bench:export does).');

/**
 * What the heap holds while `fn` runs, above where it started, in bytes: `sample` is called by
 * `fn` as it goes (once a batch) and collects garbage before reading, so the figure is what the
 * export keeps alive, not the garbage V8 lets pile up between collections.
 */
async function peakLiveHeap(fn: (sample: () => void) => Promise<unknown>) {
  gc!();
  const start = process.memoryUsage().heapUsed;
  let peak = 0;
  const sample = () => {
    gc!();
    peak = Math.max(peak, process.memoryUsage().heapUsed - start);
  };
  await fn(sample);
  sample();
  return peak;
}

const { db, name, close } = await openBenchDatabase('bench_export');
try {
  await migrateToLatest(db);
  const texts = loadTexts();
  const started = performance.now();
  await loadConsultation(db, 'small', SMALL, texts);
  await loadConsultation(db, 'large', LARGE, texts);
  await sql`analyze`.execute(db);
  console.log(
    `${name}: loaded ${SMALL.toLocaleString('en-GB')} + ${LARGE.toLocaleString('en-GB')} responses in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  async function measure(slug: string, file: ExportFile) {
    let bytes = 0;
    let rows = 0;
    let batches = 0;
    const t0 = performance.now();
    const growth = await peakLiveHeap(async (sample) => {
      const download = await openOrganiserExport(db, null, slug, file, {
        via: 'command line',
        onBatch: (batch) => {
          rows += batch.length;
          // A collection costs about 10 ms: every tenth batch is often enough to see growth.
          if (++batches % 10 === 1) sample();
        },
      });
      await pipeline(
        download.stream,
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            bytes += chunk.length;
            done();
          },
        }),
      );
    });
    return { growth, bytes, rows, ms: performance.now() - t0 };
  }

  let ok = true;
  let largest = 0;
  for (const dataset of ['responses-long', 'responses-wide'] as const) {
    for (const format of EXPORT_FORMATS) {
      const file = { dataset, format };
      const small = await measure('small', file);
      const large = await measure('large', file);
      // A floor of 8 MB: below it the figure is noise (connection buffers, caches warming, where
      // in a batch the sample fell), seen at 0 to 10 MB across runs at either size.
      const ratio = Math.max(large.growth, FLOOR) / Math.max(small.growth, FLOOR);
      largest = Math.max(largest, large.growth);
      ok &&= ratio <= TARGET_RATIO;
      console.log(
        `${`${dataset}.${format}`.padEnd(20)} small: ${small.rows.toLocaleString('en-GB')} rows, ` +
          `${(small.bytes / MB).toFixed(1)} MB, heap +${(small.growth / MB).toFixed(1)} MB` +
          ` | large: ${large.rows.toLocaleString('en-GB')} rows, ${(large.bytes / MB).toFixed(1)} MB, ` +
          `heap +${(large.growth / MB).toFixed(1)} MB, ${(large.ms / 1000).toFixed(1)} s` +
          ` | heap ratio ${ratio.toFixed(2)} for ${(large.rows / small.rows).toFixed(0)}× the rows`,
      );
    }
  }
  const whole = await peakLiveHeap(async (sample) => {
    const all = await sql`select a.* from submitted_answers a
      join consultations c on c.id = a.consultation_id where c.slug = 'large'`.execute(db);
    sample();
    return all.rows.length;
  });
  console.log(
    `for contrast, reading the large consultation's answers in one query: heap +${(whole / MB).toFixed(1)} MB ` +
      `(${(whole / Math.max(largest, FLOOR)).toFixed(0)}× the largest download's)`,
  );
  console.log(
    ok
      ? `PASS: every download of ${LARGE.toLocaleString('en-GB')} responses peaked within ${TARGET_RATIO}× the heap of ${SMALL.toLocaleString('en-GB')}`
      : `FAIL: a download's heap grew more than ${TARGET_RATIO}× with the consultation's size`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await close();
}

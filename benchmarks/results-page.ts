// `npm run bench:results`: does a results page cost the same at 1,000 responses and at 200,000?
// Loads two consultations into one fresh database (Postgres at TEST_DATABASE_URL in a schema of
// its own if reachable, else in-memory PGlite): a small one with 1,000 submitted responses and a
// large one with BENCH_RESPONSES (default 200,000), each answering about five of seven
// recommendations with reasons drawn from analysed sample texts, all counted by the rollup
// triggers as they load, and folds the counter shards as the server does hourly. Then it times the results service on both and reports each large
// timing as a ratio of the small one measured in the same run, so the figures mean the same on
// any machine. A from-scratch aggregation of the large consultation is shown for contrast.
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '#db/migrate';
import type { DB } from '#db/schema';
import {
  checkResults,
  compactResults,
  getConsultationResults,
  getRecommendationResults,
} from '~/.server/results';
import { loadConsultation, loadTexts } from './sample-consultation';
import { openBenchDatabase, time } from './support';

const SMALL = 1_000;
const LARGE = Number(process.env.BENCH_RESPONSES ?? 200_000);
const TARGET_RATIO = 3;

async function firstRecommendation(db: Kysely<DB>, consultationId: string) {
  const row = await db
    .selectFrom('recommendations')
    .select('id')
    .where('consultation_id', '=', consultationId)
    .where('number', '=', 2)
    .executeTakeFirstOrThrow();
  return row.id;
}

const { db, name, close } = await openBenchDatabase('bench_results');
try {
  await migrateToLatest(db);
  const texts = loadTexts();
  let started = performance.now();
  const small = await loadConsultation(db, 'small', SMALL, texts);
  const large = await loadConsultation(db, 'large', LARGE, texts);
  await sql`analyze`.execute(db);
  const answers = await db
    .selectFrom('submitted_answers')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `${name}: loaded ${SMALL.toLocaleString('en-GB')} + ${LARGE.toLocaleString('en-GB')} responses ` +
      `(${answers.n.toLocaleString('en-GB')} answers, rollups kept by the triggers) in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // What the server does at start and hourly: fold past days' and phrases' shards together.
  started = performance.now();
  const folded = await compactResults(db);
  await sql`analyze`.execute(db);
  console.log(
    `folded ${folded.toLocaleString('en-GB')} sharded counter rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  started = performance.now();
  const mismatches = await checkResults(db);
  console.log(
    `rollup check: ${mismatches.length === 0 ? 'every rollup matches' : `${mismatches.length} differences`} ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s, a full aggregation)`,
  );

  const smallRec = await firstRecommendation(db, small);
  const largeRec = await firstRecommendation(db, large);
  const filter = { verifiedOnly: false };
  const measures = [
    {
      label: 'overview, every recommendation',
      small: await time(() => getConsultationResults(db, small, filter)),
      large: await time(() => getConsultationResults(db, large, filter)),
    },
    {
      label: 'overview, verified only',
      small: await time(() => getConsultationResults(db, small, { verifiedOnly: true })),
      large: await time(() => getConsultationResults(db, large, { verifiedOnly: true })),
    },
    {
      label: 'recommendation, public (themes, quotes)',
      small: await time(() =>
        getRecommendationResults(db, smallRec, { ...filter, audience: 'public' }),
      ),
      large: await time(() =>
        getRecommendationResults(db, largeRec, { ...filter, audience: 'public' }),
      ),
    },
    {
      label: 'recommendation, organiser',
      small: await time(() =>
        getRecommendationResults(db, smallRec, { ...filter, audience: 'organiser' }),
      ),
      large: await time(() =>
        getRecommendationResults(db, largeRec, { ...filter, audience: 'organiser' }),
      ),
    },
  ];
  const scan = await time(
    () =>
      sql`select stance, count(*) from submitted_answers where consultation_id = ${large}
        group by stance`.execute(db),
    3,
  );

  for (const m of measures) {
    console.log(
      `${m.label.padEnd(42)} ${m.small.toFixed(2).padStart(8)} ms at ${SMALL.toLocaleString('en-GB')}` +
        `  ${m.large.toFixed(2).padStart(8)} ms at ${LARGE.toLocaleString('en-GB')}` +
        `  ratio ${(m.large / m.small).toFixed(2)}`,
    );
  }
  console.log(
    `for contrast, counting stances by scanning the large consultation's answers: ${scan.toFixed(2)} ms ` +
      `(${(scan / measures[0]!.small).toFixed(1)} × the small overview)`,
  );
  const ok = mismatches.length === 0 && measures.every((m) => m.large / m.small <= TARGET_RATIO);
  console.log(
    ok
      ? `PASS: at ${LARGE.toLocaleString('en-GB')} responses every results read costs at most ${TARGET_RATIO}× its cost at ${SMALL.toLocaleString('en-GB')}`
      : `FAIL: a results read grew more than ${TARGET_RATIO}× (or the rollups do not match)`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await close();
}

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
import { reasonBanks, segmentAsides } from '#db/seed-results-content';
import { migrateToLatest } from '#db/migrate';
import type { DB, Stance } from '#db/schema';
import { writeSubmittedResponses } from '~/.server/responses/submitted';
import {
  analyseAnswer,
  checkResults,
  compactResults,
  getConsultationResults,
  getRecommendationResults,
} from '~/.server/results';
import { openBenchDatabase, time } from './support';

const SMALL = 1_000;
const LARGE = Number(process.env.BENCH_RESPONSES ?? 200_000);
const BATCH = 20_000;
const TARGET_RATIO = 3;

const STANCES = ['strongly_oppose', 'oppose', 'neutral', 'support', 'strongly_support'] as const;
const SEGMENTS = ['founder', 'investor', 'other'] as const;
const CONSENTS = ['named', 'anonymous', 'anonymous', 'private'] as const;

/** The sample reasons with a stance each, analysed once: the bulk load draws from them. */
function loadTexts() {
  const texts = Object.values(reasonBanks).flatMap((bank) =>
    Object.values(bank).flatMap((sentences) =>
      sentences.flatMap((s) => [
        s,
        ...Object.values(segmentAsides).map((a) => `${a.neutral[0]} ${s}`),
      ]),
    ),
  );
  return texts.map((reasons, k) => {
    const stance = STANCES[k % STANCES.length]!;
    return { stance, reasons, analysis: analyseAnswer(stance, reasons) };
  });
}

type Texts = ReturnType<typeof loadTexts>;

/** A small deterministic hash, so every run loads the same answers. */
function mix(a: number, b: number) {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

async function loadConsultation(db: Kysely<DB>, slug: string, responses: number, texts: Texts) {
  const consultation = await db
    .insertInto('consultations')
    .values({
      slug,
      title: slug,
      summary: slug,
      run_by: 'Benchmark',
      status: 'open',
      closes_at: new Date(Date.now() + 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recommendations = await db
    .insertInto('recommendations')
    .values(
      Array.from({ length: 7 }, (_, i) => ({
        consultation_id: consultation.id,
        number: i + 1,
        slug: `${slug}-${i + 1}`,
        title: `Recommendation ${i + 1}`,
        summary: 'Benchmark',
      })),
    )
    .returning('id')
    .execute();
  const analyses = new Map(texts.map((t) => [t.reasons, t.analysis]));
  // Each text's analysis is known already; answers without reasons need none.
  const analyse = (stance: Stance | null, reasons: string | null) =>
    (reasons && analyses.get(reasons)) || analyseAnswer(stance, reasons);
  const now = Date.now();
  for (let from = 1; from <= responses; from += BATCH) {
    const to = Math.min(responses, from + BATCH - 1);
    await db.transaction().execute(async (trx) => {
      const users = await sql<{ id: string; n: number }>`
        insert into users (email, password_hash)
        select ${slug} || '-' || g || '@example.test', 'x' from generate_series(${from}::int, ${to}::int) g
        returning id, split_part(split_part(email, '-', 2), '@', 1)::int as n`.execute(trx);
      await writeSubmittedResponses(
        trx,
        users.rows.map(({ id, n }) => {
          const at = new Date(now - ((n * 7919) % (56 * 24)) * 3_600_000);
          return {
            consultationId: consultation.id,
            userId: id,
            submittedAt: at,
            snapshot: {
              profile: {
                displayName: `Respondent ${n}`,
                organisation: null,
                segment: SEGMENTS[n % 3]!,
                segmentOther: null,
                organisationStage: null,
                region: null,
                verified: n % 5 === 0,
              },
              consent: CONSENTS[n % 4]!,
              overallComments: null,
              // About five answers in seven; three in five with reasons.
              answers: recommendations.flatMap((r, k) => {
                const x = mix(n, k);
                if (x % 7 >= 5) return [];
                const text = x % 5 < 3 ? texts[x % texts.length]! : null;
                return [
                  {
                    recommendationId: r.id,
                    stance: text?.stance ?? (x % 2 ? 'neutral' : 'no_view'),
                    importance: 1 + (x % 5),
                    reasons: text?.reasons ?? null,
                    changeMind: null,
                  },
                ];
              }),
            },
          };
        }),
        { analyse },
      );
    });
  }
  return consultation.id;
}

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

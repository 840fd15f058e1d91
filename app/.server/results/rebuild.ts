import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { analyseAnswer } from './text-analysis';
import { scoreTone } from './tone';

// Each rollup table has a view (1300 migration) that aggregates the same numbers from the rows
// they count. Rebuilding refills a table from its view; checking compares the two.

type RollupDefinition = { table: string; view: string; key: string[]; values: string[] };

const STANCES = ['strongly_oppose', 'oppose', 'neutral', 'support', 'strongly_support', 'no_view'];

export const ROLLUPS: RollupDefinition[] = [
  {
    table: 'result_answer_counts',
    view: 'result_answer_counts_expected',
    key: ['recommendation_id', 'segment', 'verified', 'shard'],
    values: [
      'answers',
      'no_stance',
      ...STANCES,
      'importance_n',
      'importance_sum',
      'importance_sumsq',
      'tone_n',
      'tone_sum',
      'tone_negative',
      'tone_neutral',
      'tone_positive',
      'disagreements',
      'reasons_hidden',
      'reasons_private',
      'reasons_pending',
    ],
  },
  {
    table: 'result_daily_counts',
    view: 'result_daily_counts_expected',
    key: ['recommendation_id', 'day', 'segment', 'verified', 'shard'],
    values: ['answers', ...STANCES],
  },
  {
    table: 'result_phrase_counts',
    view: 'result_phrase_counts_expected',
    key: ['recommendation_id', 'segment', 'verified', 'phrase', 'shard'],
    values: ['count'],
  },
  {
    table: 'result_comment_counts',
    view: 'result_comment_counts_expected',
    key: ['recommendation_id', 'segment', 'verified', 'shard'],
    values: [
      'visible',
      'held',
      'hidden',
      'tone_n',
      'tone_sum',
      'tone_negative',
      'tone_neutral',
      'tone_positive',
    ],
  },
  {
    table: 'result_response_counts',
    view: 'result_response_counts_expected',
    key: ['consultation_id', 'day', 'segment', 'verified', 'shard'],
    values: ['responses'],
  },
];

export type RollupMismatch = {
  table: string;
  key: Record<string, unknown>;
  column: string;
  stored: number;
  expected: number;
};

const RESCORE_BATCH = 500;

/**
 * Recomputes every rollup from the rows it counts, in one transaction that keeps writers out
 * meanwhile. Answers and comments written before tone and key phrases existed are scored first.
 * Returns how many rows were scored.
 */
export async function rebuildResults(db: Kysely<DB>): Promise<{ scored: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table submitted_answers, comments, responses in share row exclusive mode`.execute(
      trx,
    );
    const scored = await scoreUnscored(trx);
    for (const rollup of ROLLUPS) {
      await sql`delete from ${sql.table(rollup.table)}`.execute(trx);
      await sql`insert into ${sql.table(rollup.table)} select * from ${sql.table(rollup.view)}`.execute(
        trx,
      );
    }
    return { scored };
  });
}

/** Every difference between the stored rollups and a from-scratch aggregation; none when sound. */
export async function checkResults(db: Kysely<DB> | Transaction<DB>): Promise<RollupMismatch[]> {
  const mismatches: RollupMismatch[] = [];
  for (const rollup of ROLLUPS) {
    const keys = sql.join(rollup.key.map((k) => sql.ref(k)));
    const stored = (c: string) => sql`coalesce(s.${sql.ref(c)}, 0)::float8`;
    const expected = (c: string) => sql`coalesce(e.${sql.ref(c)}, 0)::float8`;
    const columns = rollup.values.flatMap((c) => [
      sql`${stored(c)} as ${sql.ref(`stored_${c}`)}`,
      sql`${expected(c)} as ${sql.ref(`expected_${c}`)}`,
    ]);
    // A stored row of zeros and a missing row say the same thing.
    const differs = sql.join(
      rollup.values.map((c) => sql`${stored(c)} <> ${expected(c)}`),
      sql` or `,
    );
    const { rows } = await sql<Record<string, unknown>>`
      select ${keys}, ${sql.join(columns)}
      from ${sql.table(rollup.table)} s full join ${sql.table(rollup.view)} e using (${keys})
      where ${differs}
      order by ${keys}
      limit 1000`.execute(db);
    for (const row of rows) {
      const key = Object.fromEntries(rollup.key.map((k) => [k, row[k]]));
      for (const column of rollup.values) {
        const s = Number(row[`stored_${column}`]);
        const e = Number(row[`expected_${column}`]);
        if (s !== e) mismatches.push({ table: rollup.table, key, column, stored: s, expected: e });
      }
    }
  }
  return mismatches;
}

/** Scores answers and comments that have text but no tone yet (written before tone existed). */
async function scoreUnscored(trx: Transaction<DB>) {
  let scored = 0;
  let after: [string, string] = ['00000000-0000-0000-0000-000000000000', ''];
  for (;;) {
    const answers = await trx
      .selectFrom('submitted_answers')
      .select(['response_id', 'recommendation_id', 'stance', 'reasons'])
      .where('tone', 'is', null)
      .where('reasons', 'is not', null)
      .where(
        sql<boolean>`(response_id, recommendation_id::text) > (${after[0]}::uuid, ${after[1]})`,
      )
      .orderBy('response_id')
      .orderBy(sql`recommendation_id::text`)
      .limit(RESCORE_BATCH)
      .execute();
    for (const a of answers) {
      const analysis = analyseAnswer(a.stance, a.reasons);
      await trx
        .updateTable('submitted_answers')
        .set({
          tone: analysis.tone,
          disagreement: analysis.disagreement,
          phrases: analysis.phrases,
        })
        .where('response_id', '=', a.response_id)
        .where('recommendation_id', '=', a.recommendation_id)
        .execute();
    }
    scored += answers.length;
    if (answers.length < RESCORE_BATCH) break;
    const last = answers.at(-1)!;
    after = [last.response_id, last.recommendation_id];
  }
  let afterComment = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const comments = await trx
      .selectFrom('comments')
      .select(['id', 'body'])
      .where('tone', 'is', null)
      .where('id', '>', afterComment)
      .orderBy('id')
      .limit(RESCORE_BATCH)
      .execute();
    for (const c of comments) {
      await trx
        .updateTable('comments')
        .set({ tone: scoreTone(c.body) })
        .where('id', '=', c.id)
        .execute();
    }
    scored += comments.length;
    if (comments.length < RESCORE_BATCH) return scored;
    afterComment = comments.at(-1)!.id;
  }
}

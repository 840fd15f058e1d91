import { sql, type Kysely, type Transaction } from 'kysely';
import { STANCES } from '~/lib/enums';
import type { DB } from '#db/schema';
import { analyseAnswer } from './text-analysis';
import { scoreTone } from './tone';

// Each rollup table has a view (1300 migration) that aggregates the same numbers from the rows
// they count. Rebuilding refills a table from its view; checking compares the two.

type RollupDefinition = {
  table: string;
  view: string;
  /** The primary key without the shard. */
  key: string[];
  values: string[];
  /** Columns carried with the key (functionally dependent on it). */
  carried?: string[];
};

export const ROLLUPS: RollupDefinition[] = [
  {
    table: 'result_answer_counts',
    view: 'result_answer_counts_expected',
    key: ['recommendation_id', 'segment', 'verified'],
    carried: ['consultation_id'],
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
    key: ['recommendation_id', 'day', 'segment', 'verified'],
    carried: ['consultation_id'],
    values: ['answers', ...STANCES],
  },
  {
    table: 'result_phrase_counts',
    view: 'result_phrase_counts_expected',
    key: ['recommendation_id', 'segment', 'verified', 'phrase'],
    carried: ['consultation_id'],
    values: ['count'],
  },
  {
    table: 'result_comment_counts',
    view: 'result_comment_counts_expected',
    key: ['recommendation_id', 'segment', 'verified'],
    carried: ['consultation_id'],
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
    key: ['consultation_id', 'day', 'segment', 'verified'],
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
 * meanwhile, then folds the shards. Answers and comments written before tone and key phrases
 * existed are scored first. Returns how many texts were scored.
 */
export async function rebuildResults(db: Kysely<DB>): Promise<{ scored: number }> {
  const result = await db.transaction().execute(async (trx) => {
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
  await compactResults(db);
  return result;
}

/**
 * Every difference between the stored rollups and a from-scratch aggregation; none when sound.
 * Compared summed over shards, as they are read: folding shards together changes no total.
 */
export async function checkResults(db: Kysely<DB> | Transaction<DB>): Promise<RollupMismatch[]> {
  const mismatches: RollupMismatch[] = [];
  for (const rollup of ROLLUPS) {
    const keys = sql.join(rollup.key.map((k) => sql.ref(k)));
    const sums = sql.join(rollup.values.map((c) => sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`));
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
      from (select ${keys}, ${sums} from ${sql.table(rollup.table)} group by ${keys}) s
      full join (select ${keys}, ${sums} from ${sql.table(rollup.view)} group by ${keys}) e
        using (${keys})
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

const COMPACT_BATCH = 20_000;
/** Only the rollups whose rows multiply with days or phrases are worth folding. */
const COMPACTED = ['result_daily_counts', 'result_response_counts', 'result_phrase_counts'];

/**
 * Folds sharded counter rows into shard 0, so that reads sum fewer rows. Shards exist so that
 * concurrent submits do not wait on one counter row; once a day is over its rows are seldom
 * written, so daily rows are folded only for past days. Phrase rows are folded whenever no
 * transaction holds them (rows being written are skipped, never waited for). Run at start and
 * hourly by the server, and after a rebuild. Returns how many rows were folded away.
 */
export async function compactResults(db: Kysely<DB>): Promise<number> {
  let folded = 0;
  for (const rollup of ROLLUPS.filter((r) => COMPACTED.includes(r.table))) {
    const group = [...rollup.key, ...(rollup.carried ?? [])];
    const groupRefs = sql.join(group.map((k) => sql.ref(k)));
    const pastOnly = rollup.key.includes('day')
      ? sql`and day < (now() at time zone 'UTC')::date`
      : sql``;
    const matches = sql.join(
      [...rollup.key, 'shard'].map((k) => sql`t.${sql.ref(k)} = s.${sql.ref(k)}`),
      sql` and `,
    );
    const sums = sql.join(rollup.values.map((c) => sql`sum(${sql.ref(c)})`));
    const adds = sql.join(
      rollup.values.map((c) => sql`${sql.ref(c)} = t.${sql.ref(c)} + excluded.${sql.ref(c)}`),
    );
    const conflict = sql.join([...rollup.key, 'shard'].map((k) => sql.ref(k)));
    for (;;) {
      const { rows } = await db.transaction().execute((trx) =>
        sql<{ n: number }>`
          with moved as (
            delete from ${sql.table(rollup.table)} t using (
              select ${sql.join([...rollup.key, 'shard'].map((k) => sql.ref(k)))}
              from ${sql.table(rollup.table)}
              where shard <> 0 ${pastOnly}
              limit ${COMPACT_BATCH}
              for update skip locked
            ) s
            where ${matches}
            returning t.*
          ), added as (
            insert into ${sql.table(rollup.table)} as t
              (${groupRefs}, shard, ${sql.join(rollup.values.map((c) => sql.ref(c)))})
            select ${groupRefs}, 0, ${sums} from moved group by ${groupRefs}
            order by ${groupRefs}
            on conflict (${conflict}) do update set ${adds}
            returning 1
          )
          select (select count(*) from moved)::int as n, (select count(*) from added)::int as a`.execute(
          trx,
        ),
      );
      folded += rows[0]!.n;
      if (rows[0]!.n < COMPACT_BATCH) break;
    }
  }
  return folded;
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

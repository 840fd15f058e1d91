import { sql, type Kysely, type Transaction } from 'kysely';
import { STANCES } from '~/lib/enums';
import type { DB, Segment } from '#db/schema';

// Reads of the rollup tables: every query here sums a number of counter rows bounded by
// recommendations × segments × shards (× days, or × distinct phrases), whatever the number of
// responses. Sums are cast in SQL because pg returns bigint and numeric as strings.

type Db = Kysely<DB> | Transaction<DB>;

const int = (column: string) => sql<number>`coalesce(sum(${sql.ref(column)}), 0)::int`;
const float = (column: string) => sql<number>`coalesce(sum(${sql.ref(column)}), 0)::float8`;
/** Each counter column summed over its shards, under its own name. */
const sumsOf = <C extends string>(columns: readonly C[]) => columns.map((c) => int(c).as(c));

export function findConsultation(db: Db, id: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findRecommendation(db: Db, id: string) {
  return db
    .selectFrom('recommendations')
    .innerJoin('consultations', 'consultations.id', 'recommendations.consultation_id')
    .select([
      'recommendations.id',
      'recommendations.number',
      'recommendations.slug',
      'recommendations.title',
      'consultations.id as consultation_id',
      'consultations.slug as consultation_slug',
      'consultations.title as consultation_title',
    ])
    .where('recommendations.id', '=', id)
    .executeTakeFirst();
}

export function listRecommendations(db: Db, consultationId: string) {
  return (
    db
      .selectFrom('recommendations')
      .select(['id', 'number', 'slug', 'title'])
      .where('consultation_id', '=', consultationId)
      // A placeholder takes no answers, so it has no results to show.
      .where('state', '=', 'open')
      .orderBy('number')
      .execute()
  );
}

export function sumAnswerCounts(db: Db, recommendationIds: string[], verifiedOnly: boolean) {
  return db
    .selectFrom('result_answer_counts')
    .select([
      'recommendation_id',
      'segment',
      ...sumsOf(['answers', 'no_stance', ...STANCES]),
      ...sumsOf(['importance_n', 'importance_sum', 'importance_sumsq', 'tone_n']),
      float('tone_sum').as('tone_sum'),
      ...sumsOf(['tone_negative', 'tone_neutral', 'tone_positive', 'disagreements']),
      ...sumsOf(['reasons_hidden', 'reasons_private', 'reasons_pending']),
    ])
    .where('recommendation_id', 'in', recommendationIds)
    .$if(verifiedOnly, (q) => q.where('verified', '=', true))
    .groupBy(['recommendation_id', 'segment'])
    .execute();
}

export function sumCommentCounts(db: Db, recommendationIds: string[], verifiedOnly: boolean) {
  return db
    .selectFrom('result_comment_counts')
    .select([
      'recommendation_id',
      'segment',
      ...sumsOf(['visible', 'held', 'hidden', 'tone_n']),
      float('tone_sum').as('tone_sum'),
      ...sumsOf(['tone_negative', 'tone_neutral', 'tone_positive']),
    ])
    .where('recommendation_id', 'in', recommendationIds)
    .$if(verifiedOnly, (q) => q.where('verified', '=', true))
    .groupBy(['recommendation_id', 'segment'])
    .execute();
}

export function listEndorsementCounts(db: Db, recommendationIds: string[]) {
  return db
    .selectFrom('endorsement_counts')
    .select(['recommendation_id', 'segment', 'count'])
    .where('recommendation_id', 'in', recommendationIds)
    .execute();
}

/** Daily answers per recommendation, by segment when asked (one segment row per day otherwise). */
export function sumDailyCounts(
  db: Db,
  recommendationIds: string[],
  verifiedOnly: boolean,
  bySegment: boolean,
) {
  return db
    .selectFrom('result_daily_counts')
    .select([
      'recommendation_id',
      sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
      (bySegment ? sql<Segment | null>`segment` : sql<Segment | null>`null::text`).as('segment'),
      ...sumsOf(['answers', ...STANCES]),
    ])
    .where('recommendation_id', 'in', recommendationIds)
    .$if(verifiedOnly, (q) => q.where('verified', '=', true))
    .groupBy(['recommendation_id', 'day', ...(bySegment ? ['segment' as const] : [])])
    .having(sql<boolean>`sum(answers) <> 0`)
    .orderBy('day')
    .execute();
}

export function sumResponseCounts(db: Db, consultationId: string, verifiedOnly: boolean) {
  return db
    .selectFrom('result_response_counts')
    .select([
      sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
      'segment',
      int('responses').as('responses'),
    ])
    .where('consultation_id', '=', consultationId)
    .$if(verifiedOnly, (q) => q.where('verified', '=', true))
    .groupBy(['day', 'segment'])
    .having(sql<boolean>`sum(responses) <> 0`)
    .orderBy('day')
    .execute();
}

/** Phrases found in at least `minCount` quotable reasons of a group, by segment. */
export function sumPhraseCounts(
  db: Db,
  recommendationId: string,
  verifiedOnly: boolean,
  minCount: number,
) {
  return db
    .selectFrom('result_phrase_counts')
    .select(['segment', 'phrase', int('count').as('count')])
    .where('recommendation_id', '=', recommendationId)
    .$if(verifiedOnly, (q) => q.where('verified', '=', true))
    .groupBy(['segment', 'phrase'])
    .having(sql<boolean>`sum(count) >= ${minCount}`)
    .execute();
}

/** For each phrase, how many recommendations of the consultation have it in quotable reasons. */
export async function phraseDocumentFrequency(
  db: Db,
  consultationId: string,
  phrases: string[],
  verifiedOnly: boolean,
) {
  if (phrases.length === 0) return new Map<string, number>();
  const { rows } = await sql<{ phrase: string; recommendations: number }>`
    select phrase, count(*)::int as recommendations from (
      select phrase, recommendation_id from result_phrase_counts
      where consultation_id = ${consultationId} and phrase = any(${phrases}::text[])
        ${verifiedOnly ? sql`and verified` : sql``}
      group by phrase, recommendation_id
      having sum(count) > 0
    ) p group by phrase`.execute(db);
  return new Map(rows.map((r) => [r.phrase, r.recommendations]));
}

export function countRecommendations(db: Db, consultationId: string) {
  return db
    .selectFrom('recommendations')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('consultation_id', '=', consultationId)
    .executeTakeFirstOrThrow();
}

export type QuoteRow = {
  phrase: string;
  response_id: string;
  reasons: string;
  stance: DB['submitted_answers']['stance'];
  segment: Segment;
  verified: boolean;
  consent: 'named' | 'anonymous';
  display_name: string | null;
  organisation: string | null;
};

/**
 * Up to `perPhrase` quotable reasons containing each phrase: consent named or anonymous, quote
 * published. Walks the partial index of quotable answers and stops at the limit, so frequent
 * phrases (the ones that rank) cost a few rows each.
 */
export async function findQuotes(
  db: Db,
  recommendationId: string,
  phrases: string[],
  options: { segment: Segment | null; verifiedOnly: boolean; perPhrase: number },
) {
  if (phrases.length === 0) return [];
  const { rows } = await sql<QuoteRow>`
    select p.phrase, q.* from unnest(${phrases}::text[]) as p(phrase)
    cross join lateral (
      select a.response_id, a.reasons, a.stance, a.segment, a.verified, a.consent,
             r.display_name, r.organisation
      from submitted_answers a join responses r on r.id = a.response_id
      where a.recommendation_id = ${recommendationId}
        and a.quote_status = 'published' and a.consent in ('named', 'anonymous')
        and a.phrases @> array[p.phrase]
        ${options.segment ? sql`and a.segment = ${options.segment}` : sql``}
        ${options.verifiedOnly ? sql`and a.verified` : sql``}
      order by a.segment, a.response_id
      limit ${options.perPhrase}
    ) q`.execute(db);
  return rows;
}

/** The most recently submitted answers whose tone contradicts their stance (organisers). */
export function listDisagreements(
  db: Db,
  recommendationId: string,
  verifiedOnly: boolean,
  limit: number,
) {
  return db
    .selectFrom('submitted_answers')
    .innerJoin('responses', 'responses.id', 'submitted_answers.response_id')
    .select([
      'submitted_answers.response_id',
      'submitted_answers.stance',
      sql<number>`submitted_answers.tone::float8`.as('tone'),
      'submitted_answers.reasons',
      'submitted_answers.segment',
      'responses.reference',
    ])
    .where('submitted_answers.recommendation_id', '=', recommendationId)
    .where('submitted_answers.disagreement', '=', true)
    .where('submitted_answers.quote_status', '<>', 'hidden')
    .$if(verifiedOnly, (q) => q.where('submitted_answers.verified', '=', true))
    .orderBy('submitted_answers.submitted_on', 'desc')
    .orderBy('submitted_answers.response_id')
    .limit(limit)
    .execute();
}

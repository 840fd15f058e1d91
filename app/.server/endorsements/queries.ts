import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Segment } from '#db/schema';
import { keysetTime, pastKeyset, type Keyset } from '../keyset';

type Db = Kysely<DB> | Transaction<DB>;

export type NewEndorsement = {
  recommendation_id: string;
  consultation_id: string;
  user_id: string;
  on_behalf_of_organisation: boolean;
  show_name: boolean;
  segment: Segment;
  display_name: string;
  organisation: string | null;
};

/** Inserts unless the person has already endorsed; returns the row only when it was inserted. */
export function insertEndorsement(db: Db, values: NewEndorsement) {
  return db
    .insertInto('endorsements')
    .values(values)
    .onConflict((oc) => oc.columns(['recommendation_id', 'user_id']).doNothing())
    .returning(['id', 'segment'])
    .executeTakeFirst();
}

/** Deletes the person's endorsement; returns its segment only when there was one. */
export function deleteEndorsement(db: Db, recommendationId: string, userId: string) {
  return db
    .deleteFrom('endorsements')
    .where('recommendation_id', '=', recommendationId)
    .where('user_id', '=', userId)
    .returning(['segment'])
    .executeTakeFirst();
}

export function incrementCount(db: Db, recommendationId: string, segment: Segment) {
  return db
    .insertInto('endorsement_counts')
    .values({ recommendation_id: recommendationId, segment, count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['recommendation_id', 'segment'])
        .doUpdateSet({ count: sql`endorsement_counts.count + 1` }),
    )
    .execute();
}

export function decrementCount(db: Db, recommendationId: string, segment: Segment) {
  return db
    .updateTable('endorsement_counts')
    .set({ count: sql`count - 1` })
    .where('recommendation_id', '=', recommendationId)
    .where('segment', '=', segment)
    .execute();
}

export function listCounts(db: Db, recommendationId: string) {
  return db
    .selectFrom('endorsement_counts')
    .select(['segment', 'count'])
    .where('recommendation_id', '=', recommendationId)
    .execute();
}

export function findEndorsement(db: Db, recommendationId: string, userId: string) {
  return db
    .selectFrom('endorsements')
    .select(['on_behalf_of_organisation', 'show_name', 'organisation', 'created_at'])
    .where('recommendation_id', '=', recommendationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function findProfile(db: Db, userId: string) {
  return db
    .selectFrom('respondent_profiles')
    .select(['display_name', 'organisation', 'segment', 'verified'])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
}

/** Named endorsers, newest first, `limit` + 1 rows so the caller knows whether more follow. */
export function listNamedEndorsers(
  db: Db,
  recommendationId: string,
  options: { after?: Keyset; limit: number },
) {
  let query = db
    .selectFrom('endorsements')
    .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'endorsements.user_id')
    .select([
      'endorsements.id',
      'endorsements.display_name',
      'endorsements.segment',
      'endorsements.organisation',
      'endorsements.on_behalf_of_organisation',
      'endorsements.created_at',
      'respondent_profiles.verified',
      keysetTime('endorsements.created_at').as('keyset_at'),
    ])
    .where('endorsements.recommendation_id', '=', recommendationId)
    .where('endorsements.show_name', '=', true)
    .orderBy('endorsements.created_at', 'desc')
    .orderBy('endorsements.id', 'desc')
    .limit(options.limit + 1);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, 'desc', after, [
        ['at', 'endorsements.created_at'],
        ['id', 'endorsements.id'],
      ]),
    );
  }
  return query.execute();
}

import type { Kysely, Transaction, Updateable } from 'kysely';
import type { DB } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// The consultation as moderation reads it: who may moderate it is decided from its id, how it
// is moderated from its policy columns.

export function findConsultation(db: Db, slug: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'moderation_mode', 'report_threshold', 'status'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** Every consultation, newest first, for the moderation index. */
export function listConsultations(db: Db) {
  return db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'status', 'moderation_mode'])
    .orderBy('created_at', 'desc')
    .execute();
}

export function findPolicy(db: Db, slug: string) {
  return db
    .selectFrom('consultations')
    .select([
      'id',
      'slug',
      'title',
      'moderation_mode',
      'report_threshold',
      'house_rules',
      'house_rules_html',
      'version',
    ])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** The policy columns, locked until the transaction ends, for a change against a version. */
export function findPolicyForUpdate(db: Transaction<DB>, slug: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'moderation_mode', 'report_threshold', 'house_rules', 'version'])
    .where('slug', '=', slug)
    .forUpdate()
    .executeTakeFirst();
}

export function updateConsultation(
  db: Db,
  consultationId: string,
  change: Updateable<DB['consultations']>,
) {
  return db.updateTable('consultations').set(change).where('id', '=', consultationId).execute();
}

export function findHouseRules(db: Db, slug: string) {
  return db
    .selectFrom('consultations')
    .select(['house_rules', 'house_rules_html'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export async function findModerationMode(db: Db, consultationId: string) {
  const c = await db
    .selectFrom('consultations')
    .select('moderation_mode')
    .where('id', '=', consultationId)
    .executeTakeFirst();
  return c?.moderation_mode;
}

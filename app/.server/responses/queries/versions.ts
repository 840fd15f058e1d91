import type { InsertObject, Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// Every submitted version of a response, kept whole.

export function findVersionByKey(db: Db, responseId: string, idempotencyKey: string) {
  return db
    .selectFrom('response_versions')
    .select(['number', 'submitted_at'])
    .where('response_id', '=', responseId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}

export function findVersion(db: Db, responseId: string, number: number) {
  return db
    .selectFrom('response_versions')
    .select(['number', 'snapshot'])
    .where('response_id', '=', responseId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export function listVersions(db: Db, responseId: string) {
  return db
    .selectFrom('response_versions')
    .select(['number', 'submitted_at', 'snapshot'])
    .where('response_id', '=', responseId)
    .orderBy('number', 'desc')
    .execute();
}

export async function insertVersions(db: Db, rows: InsertObject<DB, 'response_versions'>[]) {
  if (rows.length > 0) await db.insertInto('response_versions').values(rows).execute();
}

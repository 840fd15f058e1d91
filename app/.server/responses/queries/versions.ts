import type { Kysely, Transaction } from 'kysely';
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

export function insertVersion(
  db: Db,
  version: { responseId: string; number: number; idempotencyKey: string; snapshot: unknown },
) {
  return db
    .insertInto('response_versions')
    .values({
      response_id: version.responseId,
      number: version.number,
      idempotency_key: version.idempotencyKey,
      snapshot: JSON.stringify(version.snapshot),
    })
    .execute();
}

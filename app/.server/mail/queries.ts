import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, EmailTokenPurpose, EmailTopic } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export type NewEmail = {
  userId: string | null;
  to: string;
  kind: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
};

export async function insertEmail(db: Db, email: NewEmail) {
  return db
    .insertInto('email_outbox')
    .values({
      user_id: email.userId,
      to_address: email.to,
      kind: email.kind,
      subject: email.subject,
      text_body: email.text,
      headers: JSON.stringify(email.headers ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

const INSERT_BATCH = 500;

export async function insertEmails(db: Db, emails: NewEmail[]) {
  for (let i = 0; i < emails.length; i += INSERT_BATCH) {
    await db
      .insertInto('email_outbox')
      .values(
        emails.slice(i, i + INSERT_BATCH).map((email) => ({
          user_id: email.userId,
          to_address: email.to,
          kind: email.kind,
          subject: email.subject,
          text_body: email.text,
          headers: JSON.stringify(email.headers ?? {}),
        })),
      )
      .execute();
  }
}

/** Submitted respondents of a consultation with a confirmed address who take its news. */
export async function listNewsRecipients(db: Db, consultationId: string) {
  return db
    .selectFrom('responses')
    .innerJoin('users', 'users.id', 'responses.user_id')
    .select(['users.id', 'users.email'])
    .where('responses.consultation_id', '=', consultationId)
    .where('responses.status', '=', 'submitted')
    .where('users.email_verified_at', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('email_preferences')
            .select('email_preferences.user_id')
            .whereRef('email_preferences.user_id', '=', 'users.id')
            .where('email_preferences.topic', '=', 'consultation_news')
            .where('email_preferences.subscribed', '=', false),
        ),
      ),
    )
    .orderBy('users.id')
    .execute();
}

/**
 * Claims up to `limit` due messages by pushing their next attempt into the future, so a second
 * sender (another instance, or the next tick) does not send them again while this one works.
 */
export async function claimDueEmails(db: Kysely<DB>, limit: number, leaseSeconds: number) {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('email_outbox')
      .select('id')
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    return trx
      .updateTable('email_outbox')
      .set({
        attempts: sql`attempts + 1`,
        next_attempt_at: sql`now() + make_interval(secs => ${leaseSeconds})`,
      })
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .returning(['id', 'to_address', 'subject', 'text_body', 'headers', 'attempts'])
      .execute();
  });
}

export async function markSent(db: Db, id: string) {
  await db
    .updateTable('email_outbox')
    .set({ sent_at: sql`now()`, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markAttemptFailed(
  db: Db,
  id: string,
  error: string,
  retryInSeconds: number | null,
) {
  await db
    .updateTable('email_outbox')
    .set(
      retryInSeconds === null
        ? { failed_at: sql`now()`, last_error: error.slice(0, 2000) }
        : {
            last_error: error.slice(0, 2000),
            next_attempt_at: sql`now() + make_interval(secs => ${retryInSeconds})`,
          },
    )
    .where('id', '=', id)
    .execute();
}

export async function listEmails(db: Db, limit: number) {
  return db
    .selectFrom('email_outbox')
    .select(['id', 'to_address', 'kind', 'subject', 'created_at', 'sent_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function findEmail(db: Db, id: string) {
  return db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertToken(
  db: Db,
  token: {
    userId: string;
    purpose: EmailTokenPurpose;
    hash: string;
    email: string;
    ttlSeconds: number;
  },
) {
  await db
    .insertInto('email_tokens')
    .values({
      user_id: token.userId,
      purpose: token.purpose,
      token_hash: token.hash,
      email: token.email,
      expires_at: sql<Date>`now() + make_interval(secs => ${token.ttlSeconds})`,
    })
    .execute();
}

/** A token that could still be used, without using it (to show the page behind a link). */
export async function findUsableToken(db: Db, hash: string, purposes: EmailTokenPurpose[]) {
  return db
    .selectFrom('email_tokens')
    .select(['id', 'user_id', 'purpose', 'email'])
    .where('token_hash', '=', hash)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

/**
 * Uses a token: one UPDATE whose WHERE requires it unused and unexpired, so of two concurrent
 * uses exactly one gets the row back.
 */
export async function useToken(db: Db, hash: string, purposes: EmailTokenPurpose[]) {
  return db
    .updateTable('email_tokens')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', hash)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['id', 'user_id', 'purpose', 'email'])
    .executeTakeFirst();
}

/** Retires a person's other unused links of a purpose: only the newest one works. */
export async function retireTokens(db: Db, userId: string, purposes: EmailTokenPurpose[]) {
  await db
    .updateTable('email_tokens')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .execute();
}

export async function listPreferences(db: Db, userId: string) {
  return db
    .selectFrom('email_preferences')
    .select(['topic', 'subscribed'])
    .where('user_id', '=', userId)
    .execute();
}

export async function setPreference(
  db: Db,
  userId: string,
  topic: EmailTopic,
  subscribed: boolean,
) {
  await db
    .insertInto('email_preferences')
    .values({ user_id: userId, topic, subscribed })
    .onConflict((oc) =>
      oc.columns(['user_id', 'topic']).doUpdateSet({ subscribed, updated_at: sql`now()` }),
    )
    .execute();
}

export async function findUserForEmail(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .leftJoin('respondent_profiles', 'respondent_profiles.user_id', 'users.id')
    .select([
      'users.id',
      'users.email',
      'users.email_verified_at',
      'respondent_profiles.display_name',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

/** The named key, created at random on first use (another instance may create it first). */
export async function signingKey(db: Db, name: string, fresh: string) {
  await db
    .insertInto('signing_keys')
    .values({ name, secret: fresh })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('signing_keys')
    .select('secret')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.secret;
}

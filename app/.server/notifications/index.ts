import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type { Viewer } from '../auth';
import { DomainError } from '../errors';
import { decodeKeyset, encodeKeyset, keysetTime } from '../keyset';

type Db = Kysely<DB> | Transaction<DB>;

export type NewNotification = {
  userId: string;
  /** A stable machine name, e.g. 'comment.hidden', so a mailer can pick a template. */
  kind: string;
  subject: string;
  body: string;
  /** A path inside the site that the message is about. */
  link?: string | null;
};

export const NOTIFICATIONS_PAGE_SIZE = 20;

/** Queues a message to a person; call it inside the transaction that makes the change. */
export async function notify(db: Db, message: NewNotification) {
  await db
    .insertInto('notifications')
    .values({
      user_id: message.userId,
      kind: message.kind,
      subject: message.subject,
      body: message.body,
      link: message.link ?? null,
    })
    .execute();
}

/** A person's messages, newest first, by keyset on (created_at, id). */
export async function listNotifications(
  db: Db,
  userId: string,
  options: { before?: { createdAt: Date; id: string } } = {},
) {
  let query = db
    .selectFrom('notifications')
    .select(['id', 'kind', 'subject', 'body', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(NOTIFICATIONS_PAGE_SIZE + 1);
  const before = options.before;
  if (before) {
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(before.createdAt, before.id)),
    );
  }
  const rows = await query.execute();
  return {
    items: rows.slice(0, NOTIFICATIONS_PAGE_SIZE),
    more: rows.length > NOTIFICATIONS_PAGE_SIZE,
  };
}

export async function countUnread(db: Db, userId: string) {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks all of a person's messages read (when they open the list). */
export async function markAllRead(db: Db, userId: string) {
  await db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
}

/**
 * The signed-in person: a page of their messages, newest first, by keyset cursor (the exact
 * microsecond time and id, so no message is skipped or repeated), and how many are unread.
 */
export async function getMessages(db: Kysely<DB>, viewer: Viewer | null, cursor?: string | null) {
  if (!viewer) throw new DomainError('unauthenticated', 'Sign in to continue.');
  const before = decodeKeyset(cursor);
  let query = db
    .selectFrom('notifications')
    .select(['id', 'kind', 'subject', 'body', 'link', 'created_at', 'read_at'])
    .select(keysetTime('created_at').as('keyset_at'))
    .where('user_id', '=', viewer.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(NOTIFICATIONS_PAGE_SIZE + 1);
  if (before) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('created_at', 'id'),
        '<',
        eb.tuple(sql<Date>`${before.at}::timestamptz`, sql<string>`${before.id}::uuid`),
      ),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, NOTIFICATIONS_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    messages: page.map(({ keyset_at: _k, ...m }) => m),
    unread: await countUnread(db, viewer.id),
    nextCursor:
      rows.length > NOTIFICATIONS_PAGE_SIZE && last
        ? encodeKeyset({ at: last.keyset_at, id: last.id })
        : null,
  };
}

/** The signed-in person: marks every message of theirs read. Doing it twice is harmless. */
export async function readAllMessages(db: Kysely<DB>, viewer: Viewer | null) {
  if (!viewer) throw new DomainError('unauthenticated', 'Sign in to continue.');
  await markAllRead(db, viewer.id);
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type { Viewer } from '../auth';
import { decodeKeyset, encodeKeyset, keysetTime, pastKeyset, type Keyset } from '../keyset';
import { absoluteUrl, queueConsultationNews, queueTopicEmail, topicOfKind } from '../mail';
import { requireSignedIn } from '../auth/permissions';

type Db = Kysely<DB> | Transaction<DB>;

export type NewNotification = {
  userId: string;
  /** A stable machine name, e.g. 'comment.hidden', so a mailer can pick a template. */
  kind: string;
  subject: string;
  body: string;
  /** A path inside the site that the message is about. */
  link?: string | null;
  /** A moderation decision the person may ask to have reviewed from the message. */
  appealDecisionId?: string | null;
};

export const NOTIFICATIONS_PAGE_SIZE = 20;

/**
 * Queues a message to a person; call it inside the transaction that makes the change. It is
 * also emailed, in the same transaction, unless the person turned that kind of email off.
 */
export async function notify(db: Db, message: NewNotification) {
  const emailed = await queueTopicEmail(db, {
    userId: message.userId,
    topic: topicOfKind(message.kind),
    kind: message.kind,
    subject: message.subject,
    text: [
      message.body,
      ...(message.link ? ['', `Read more: ${absoluteUrl(message.link)}`] : []),
      '',
      `All your messages: ${absoluteUrl('/account/messages')}`,
    ].join('\n'),
  });
  await db
    .insertInto('notifications')
    .values({
      user_id: message.userId,
      kind: message.kind,
      subject: message.subject,
      body: message.body,
      link: message.link ?? null,
      // sent_at records that the message went to the mailer as well.
      sent_at: emailed ? new Date() : null,
      appeal_decision_id: message.appealDecisionId ?? null,
    })
    .execute();
}

/**
 * A person's messages, newest first, by keyset on (created_at, id). The cursor carries the time to
 * the microsecond: a JavaScript Date would round it and skip messages written in the same millisecond.
 */
export async function listNotifications(db: Db, userId: string, options: { after?: Keyset } = {}) {
  let query = db
    .selectFrom('notifications')
    .select([
      'id',
      'kind',
      'subject',
      'body',
      'link',
      'created_at',
      'read_at',
      'appeal_decision_id',
    ])
    .select(keysetTime('notifications.created_at').as('keyset_at'))
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(NOTIFICATIONS_PAGE_SIZE + 1);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, 'desc', after, [
        ['at', 'notifications.created_at'],
        ['id', 'notifications.id'],
      ]),
    );
  }
  const rows = await query.execute();
  const items = rows.slice(0, NOTIFICATIONS_PAGE_SIZE);
  const last = items.at(-1);
  return {
    items,
    next:
      rows.length > NOTIFICATIONS_PAGE_SIZE && last ? { at: last.keyset_at, id: last.id } : null,
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
  const me = requireSignedIn(viewer);
  const page = await listNotifications(db, me.id, { after: decodeKeyset(cursor) });
  return {
    messages: page.items.map(({ keyset_at: _k, ...m }) => m),
    unread: await countUnread(db, me.id),
    nextCursor: page.next ? encodeKeyset(page.next) : null,
  };
}

/** The signed-in person: marks every message of theirs read. Doing it twice is harmless. */
export async function readAllMessages(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  await markAllRead(db, me.id);
}

/**
 * Tells everyone who submitted a response to the consultation: a message to each, and an email
 * to those with a confirmed address who take consultation news. Call it inside the transaction
 * that makes the news; the messages are written in one statement however many respondents.
 */
export async function notifyConsultationRespondents(
  db: Db,
  consultationId: string,
  message: Omit<NewNotification, 'userId' | 'appealDecisionId'>,
) {
  const emailed = await queueConsultationNews(db, consultationId, {
    kind: message.kind,
    subject: message.subject,
    text: [
      message.body,
      ...(message.link ? ['', `Read more: ${absoluteUrl(message.link)}`] : []),
      '',
      `All your messages: ${absoluteUrl('/account/messages')}`,
    ].join('\n'),
  });
  const respondents = await db
    .selectFrom('responses')
    .select('user_id')
    .where('consultation_id', '=', consultationId)
    .where('status', '=', 'submitted')
    .where('user_id', 'is not', null)
    .execute();
  if (respondents.length === 0) return { messages: 0, emails: emailed.length };
  const sent = new Set(emailed);
  await db
    .insertInto('notifications')
    .values(
      respondents.map((r) => ({
        user_id: r.user_id!,
        kind: message.kind,
        subject: message.subject,
        body: message.body,
        link: message.link ?? null,
        sent_at: sent.has(r.user_id!) ? new Date() : null,
      })),
    )
    .execute();
  return { messages: respondents.length, emails: emailed.length };
}

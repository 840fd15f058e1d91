import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Kysely, Transaction } from 'kysely';
import type { DB, EmailTokenPurpose, EmailTopic } from '#db/schema';
import type { EmailPreferencesInput } from '~/lib/schemas/email';
import type { Viewer } from '../auth';
import { getEnv } from '../env';
import { notFound } from '../errors';
import { logger } from '../logger';
import * as q from './queries';
import { requireSignedIn } from '../auth/permissions';

type Db = Kysely<DB> | Transaction<DB>;

export const TOKEN_LIFETIME_SECONDS: Record<EmailTokenPurpose, number> = {
  confirm_email: 48 * 3600,
  reset_password: 3600,
  change_email: 24 * 3600,
};

export const EMAIL_TOPICS: readonly EmailTopic[] = ['moderation', 'account', 'consultation_news'];

let seenOrigin: string | null = null;

/**
 * Without APP_URL (development and tests, where the port is often chosen at random) links point
 * at the address the site was last reached on; production requires APP_URL (see env.ts).
 */
export function rememberOrigin(origin: string) {
  if (!getEnv().APP_URL) seenOrigin = origin;
}

/** An absolute link to a path of this site, for an email. */
export function absoluteUrl(path: string) {
  const env = getEnv();
  const base = env.APP_URL ?? seenOrigin ?? `http://localhost:${env.PORT}`;
  return new URL(path, base).toString();
}

/**
 * Writes an email to the outbox. Call it inside the transaction of the change that causes it:
 * the message exists exactly when the change does, and the sender delivers it afterwards.
 */
export async function queueEmail(db: Db, email: q.NewEmail) {
  return q.insertEmail(db, email);
}

/** The SHA-256 (hex) under which a link token is stored; the token itself never is. */
export function hashToken(token: string) {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * A new single-use link token for a person; earlier unused links of the same purpose stop
 * working, so only the newest email counts. Returns the raw token (never stored).
 */
export async function issueEmailToken(
  db: Db,
  input: { userId: string; purpose: EmailTokenPurpose; email: string },
) {
  await q.retireTokens(db, input.userId, [input.purpose]);
  const token = randomBytes(32).toString('base64url');
  await q.insertToken(db, {
    userId: input.userId,
    purpose: input.purpose,
    hash: hashToken(token),
    email: input.email,
    ttlSeconds: TOKEN_LIFETIME_SECONDS[input.purpose],
  });
  return token;
}

/** The token's purpose and owner if it could still be used; null if unknown, used or expired. */
export async function peekEmailToken(db: Db, token: string, purposes: EmailTokenPurpose[]) {
  if (!token) return null;
  const row = await q.findUsableToken(db, hashToken(token), purposes);
  return row ? { userId: row.user_id, purpose: row.purpose, email: row.email } : null;
}

/** Uses a token once: of two concurrent uses exactly one succeeds. */
export async function useEmailToken(db: Db, token: string, purposes: EmailTokenPurpose[]) {
  if (!token) return null;
  const row = await q.useToken(db, hashToken(token), purposes);
  return row ? { userId: row.user_id, purpose: row.purpose, email: row.email } : null;
}

export const LINK_NOT_VALID =
  'This link has expired or has already been used. Ask for a new one below.';

/** The preference topic an in-app notification kind belongs to. */
export function topicOfKind(kind: string): EmailTopic {
  if (kind.startsWith('moderation.')) return 'moderation';
  if (kind.startsWith('consultation.')) return 'consultation_news';
  return 'account';
}

async function unsubscribeKey(db: Db) {
  return q.signingKey(db, 'unsubscribe', randomBytes(32).toString('base64url'));
}

function unsubscribeMac(key: string, userId: string, topic: EmailTopic) {
  return createHmac('sha256', key).update(`${userId}:${topic}`).digest('base64url');
}

/** A signed link token that unsubscribes one person from one topic, without signing in. */
export async function unsubscribeToken(db: Db, userId: string, topic: EmailTopic) {
  const key = await unsubscribeKey(db);
  return `${userId}.${topic}.${unsubscribeMac(key, userId, topic)}`;
}

/** Who and what an unsubscribe token is for, if its signature holds. */
export async function readUnsubscribeToken(db: Db, token: string) {
  const [userId, topic, mac] = token.split('.');
  if (!userId || !mac || !EMAIL_TOPICS.includes(topic as EmailTopic)) return null;
  const expected = Buffer.from(
    unsubscribeMac(await unsubscribeKey(db), userId, topic as EmailTopic),
  );
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const user = await q.findUserForEmail(db, userId);
  return user ? { userId, topic: topic as EmailTopic, email: user.email } : null;
}

/** Anyone holding a valid unsubscribe link: stops that topic's emails. Repeating it is harmless. */
export async function unsubscribe(db: Kysely<DB>, token: string) {
  const target = await readUnsubscribeToken(db, token);
  if (!target) throw notFound('unsubscribe link');
  await q.setPreference(db, target.userId, target.topic, false);
  return target;
}

async function isSubscribed(db: Db, userId: string, topic: EmailTopic) {
  const rows = await q.listPreferences(db, userId);
  return rows.find((r) => r.topic === topic)?.subscribed ?? true;
}

const FOOTER = 'Open Consultation';

function unsubscribeFooter(link: string) {
  return [
    '',
    '—',
    `To stop emails like this one, open ${link}`,
    `Choose which emails you get: ${absoluteUrl('/account/email-preferences')}`,
    FOOTER,
  ];
}

function unsubscribeHeaders(link: string) {
  return {
    'List-Unsubscribe': `<${link}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/**
 * Consultation news (e.g. "the summary is published") to everyone who submitted a response to
 * the consultation, has a confirmed address and has not turned that topic off. Call it in the
 * transaction that publishes; the recipients are chosen in one query and written in batches,
 * so a consultation with thousands of respondents costs a few statements, not thousands.
 * Returns the accounts emailed.
 */
export async function queueConsultationNews(
  db: Db,
  consultationId: string,
  message: { kind: string; subject: string; text: string },
) {
  const recipients = await q.listNewsRecipients(db, consultationId);
  const key = await unsubscribeKey(db);
  const emails = recipients.map((r) => {
    const link = absoluteUrl(
      `/email/unsubscribe?token=${encodeURIComponent(`${r.id}.consultation_news.${unsubscribeMac(key, r.id, 'consultation_news')}`)}`,
    );
    return {
      userId: r.id,
      to: r.email,
      kind: message.kind,
      subject: message.subject,
      text: [message.text, ...unsubscribeFooter(link)].join('\n'),
      headers: unsubscribeHeaders(link),
    };
  });
  await q.insertEmails(db, emails);
  // Who was emailed, so the caller can record it beside each person's message.
  return emails.map((e) => e.userId);
}

/**
 * Queues an email about something a person may opt out of (moderation decisions, account
 * news, consultation news), if they have not, to a confirmed address only. It carries
 * RFC 8058 one-click unsubscribe headers and a link to the same.
 */
export async function queueTopicEmail(
  db: Db,
  message: { userId: string; topic: EmailTopic; kind: string; subject: string; text: string },
) {
  const user = await q.findUserForEmail(db, message.userId);
  if (!user?.email_verified_at) return false;
  if (!(await isSubscribed(db, message.userId, message.topic))) return false;
  const link = absoluteUrl(
    `/email/unsubscribe?token=${encodeURIComponent(await unsubscribeToken(db, message.userId, message.topic))}`,
  );
  await queueEmail(db, {
    userId: message.userId,
    to: user.email,
    kind: message.kind,
    subject: message.subject,
    text: [message.text, ...unsubscribeFooter(link)].join('\n'),
    headers: unsubscribeHeaders(link),
  });
  return true;
}

export type EmailPreferences = Record<EmailTopic, boolean>;

/** The signed-in person: which kinds of email they get. */
export async function getEmailPreferences(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const rows = await q.listPreferences(db, me.id);
  const prefs = Object.fromEntries(EMAIL_TOPICS.map((t) => [t, true])) as EmailPreferences;
  for (const r of rows) prefs[r.topic] = r.subscribed;
  return prefs;
}

/** The signed-in person: sets which kinds of email they get. */
export async function saveEmailPreferences(
  db: Kysely<DB>,
  viewer: Viewer | null,
  input: EmailPreferencesInput,
) {
  const me = requireSignedIn(viewer);
  await db.transaction().execute(async (trx) => {
    for (const topic of EMAIL_TOPICS) {
      await q.setPreference(trx, me.id, topic, input.topics.includes(topic));
    }
  });
}

/** The development outbox is never available in production, whatever the transport. */
function requireDevelopment() {
  if (getEnv().isProduction) throw notFound();
}

/** Development and tests only: the newest emails, for /dev/outbox. */
export async function listOutbox(db: Kysely<DB>, limit = 100) {
  requireDevelopment();
  return q.listEmails(db, limit);
}

/** Development and tests only: one email with its headers. */
export async function readOutboxEmail(db: Kysely<DB>, id: string) {
  requireDevelopment();
  if (!/^[0-9a-f-]{36}$/.test(id)) throw notFound('email');
  const row = await q.findEmail(db, id);
  if (!row) throw notFound('email');
  return row;
}

export type SendMail = (message: {
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
}) => Promise<void>;

export const MAX_ATTEMPTS = 8;

/** Seconds before the next try: 1, 2, 4… minutes, at most 6 hours. */
export function retryDelaySeconds(attempts: number) {
  return Math.min(60 * 2 ** (attempts - 1), 6 * 3600);
}

/**
 * Sends up to `batch` due emails with `send`. A failure is retried later with a growing delay
 * and given up after MAX_ATTEMPTS (the row stays, with its last error). Returns what happened.
 */
export async function deliverDueEmails(db: Kysely<DB>, send: SendMail, batch = 20) {
  // The lease covers the time an SMTP server may take; an instance that dies mid-send leaves
  // the row to be retried when it runs out.
  const claimed = await q.claimDueEmails(db, batch, 300);
  let sent = 0;
  let failed = 0;
  for (const email of claimed) {
    try {
      await send({
        to: email.to_address,
        subject: email.subject,
        text: email.text_body,
        headers: email.headers,
      });
      await q.markSent(db, email.id);
      sent += 1;
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? error.message : String(error);
      const retry = email.attempts >= MAX_ATTEMPTS ? null : retryDelaySeconds(email.attempts);
      await q.markAttemptFailed(db, email.id, message, retry);
      logger.warn('sending an email failed', {
        emailId: email.id,
        attempts: email.attempts,
        retry,
      });
    }
  }
  return { sent, failed };
}

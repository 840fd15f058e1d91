import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { getEnv } from '../env';
import { logger } from '../logger';
import { deliverDueEmails, type SendMail } from './service';

const TICK_MS = 5000;

/** nodemailer over SMTP_URL, with the configured From address. */
export function smtpSender(smtpUrl: string, from: string): SendMail {
  const transport = nodemailer.createTransport(smtpUrl);
  return async (message) => {
    await transport.sendMail({ from, ...message });
  };
}

/**
 * With SMTP configured, sends the outbox every few seconds (one batch at a time, never two
 * at once); without it, mail stays in the database for /dev/outbox. Returns a stop function.
 */
export function startMailSender(db: Kysely<DB>) {
  const env = getEnv();
  if (env.mailTransport !== 'smtp' || !env.SMTP_URL) return () => {};
  const send = smtpSender(env.SMTP_URL, env.mailFrom);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverDueEmails(db, send)
      .catch((error: unknown) => logger.warn('the mail sender failed', { error: String(error) }))
      .finally(() => {
        running = false;
      });
  }, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

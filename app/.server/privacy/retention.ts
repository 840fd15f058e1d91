import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { DEFAULT_NOTICE } from '~/lib/privacy';
import { recordAudit } from '../audit';
import { forgetConsultationKeys } from '../idempotency';
import { eraseResponses } from './account-erasure';
import * as q from './queries';

export type RetentionItem = {
  slug: string;
  title: string;
  closesAt: Date;
  retentionMonths: number;
  responses: number;
  comments: number;
  endorsements: number;
};

/**
 * For the operator's retention command: removes the personal data of every consultation closed
 * longer than its retention period (responses anonymised, comments detached from their authors,
 * endorsement rows removed with their tallies kept), one transaction per consultation, and
 * marks it purged. With `dryRun`, only says what it would do.
 */
export async function purgeExpiredPersonalData(
  db: Kysely<DB>,
  options: { now?: Date; dryRun?: boolean } = {},
): Promise<RetentionItem[]> {
  const now = options.now ?? new Date();
  const expired = await q.listExpiredConsultations(db, now, DEFAULT_NOTICE.retentionMonths);
  const items: RetentionItem[] = [];
  for (const c of expired) {
    const item = {
      slug: c.slug,
      title: c.title,
      closesAt: c.closes_at!,
      retentionMonths: c.privacy_retention_months ?? DEFAULT_NOTICE.retentionMonths,
    };
    if (options.dryRun) {
      items.push({ ...item, ...(await q.countPersonalData(db, c.id)) });
      continue;
    }
    const counts = await db.transaction().execute(async (trx) => {
      await q.allowErasure(trx);
      const responses = await q.responsesOf(trx, c.id);
      const drafts = responses.filter((r) => r.status === 'draft').map((r) => r.id);
      const submitted = responses.filter((r) => r.status !== 'draft').map((r) => r.id);
      await eraseResponses(trx, drafts);
      await q.anonymiseResponses(trx, submitted);
      const comments = await q.detachComments(trx, c.id);
      const endorsements = await q.deleteEndorsementRows(trx, c.id);
      await forgetConsultationKeys(trx, c.id);
      await q.markPurged(trx, c.id, now);
      await recordAudit(trx, {
        actorId: null,
        action: 'consultation.personal_data_purged',
        targetType: 'consultation',
        targetId: c.id,
        consultationId: c.id,
        after: { responses: responses.length, comments, endorsements },
      });
      return { responses: responses.length, comments, endorsements };
    });
    items.push({ ...item, ...counts });
  }
  return items;
}

import type { Kysely, Transaction } from 'kysely';
import type { DB, OutcomeStatus } from '#db/schema';
import {
  OUTCOME_STATUS_LABELS,
  OutcomeUpdateSchema,
  type OutcomeUpdateInput,
} from '~/lib/schemas/summaries';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import { requireOrganisedConsultation } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError, notFound } from '../errors';
import { onceForKey } from '../idempotency';
import { renderForField, storedHtml } from '../markdown';
import type { SummarySnapshot } from './publishing';
import * as q from './queries';
import { parseOrRefuse } from './validate';

type Db = Kysely<DB>;

/** The outcome the latest published version gave a recommendation, if it covered it. */
async function publishedStatus(db: Db, consultationId: string, recommendationId: string) {
  const version = await q.findVersion(db, consultationId, null);
  if (!version) return null;
  const snapshot = version.snapshot as SummarySnapshot;
  const recommendation = await db
    .selectFrom('recommendations')
    .select('slug')
    .where('id', '=', recommendationId)
    .executeTakeFirstOrThrow();
  const part = snapshot.recommendations.find((r) => r.slug === recommendation.slug);
  return part ? part.outcome.status : null;
}

async function timeline(db: Db, consultationId: string, recommendationId: string) {
  const [published, updates] = await Promise.all([
    publishedStatus(db, consultationId, recommendationId),
    q.listOutcomeUpdates(db, recommendationId),
  ]);
  const current: OutcomeStatus | null = updates.at(-1)?.status ?? published;
  return {
    publishedStatus: published,
    currentStatus: current,
    currentStatusLabel: current ? OUTCOME_STATUS_LABELS[current] : null,
    updates: updates.map((u) => ({
      id: u.id,
      happenedOn: u.happened_on,
      status: u.status,
      statusLabel: OUTCOME_STATUS_LABELS[u.status],
      noteHtml: storedHtml(u.note_html, u.note),
      recordedAt: u.created_at,
    })),
  };
}

/**
 * Organisers of this consultation, after its summary is published: a dated update of what
 * became of one recommendation, which moves its current outcome. Not in the future. The same
 * form sent twice (its idempotency key) records one update. Audited.
 */
export async function addOutcomeUpdate(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  recommendationSlug: string,
  raw: OutcomeUpdateInput,
  ctx: RequestContext,
) {
  const { id: consultationId } = await requireOrganisedConsultation(
    db,
    viewer,
    slug,
    'Only organisers of this consultation can record what became of its recommendations.',
  );
  const input = parseOrRefuse(OutcomeUpdateSchema, raw);
  const recommendation = await q.findRecommendationBySlug(db, consultationId, recommendationSlug);
  if (!recommendation) throw notFound('recommendation');
  const note = renderForField('summary', input.note, 'note');
  const me = viewer!;
  const write = {
    userId: me.id,
    key: input.idempotencyKey,
    action: 'summary.outcome_updated',
    targetId: recommendation.id,
    consultationId,
  };
  const recommendationId = recommendation.id;
  return db.transaction().execute(async (trx) => {
    const { status } = await q.lockConsultation(trx, consultationId);
    return onceForKey(trx, write, () => recordUpdate(trx, status));
  });

  async function recordUpdate(trx: Transaction<DB>, status: string) {
    if (status !== 'published' || !(await q.latestVersion(trx, consultationId))) {
      throw new DomainError(
        'invalid',
        'Outcome updates follow the published summary: publish the summary first.',
      );
    }
    if (input.happenedOn > (await q.databaseToday(trx))) {
      throw new DomainError('invalid', 'An update records what has happened.', {
        fieldErrors: { happenedOn: ['Enter a date that is today or earlier'] },
      });
    }
    const before = (await timeline(trx, consultationId, recommendationId)).currentStatus;
    const row = await q.insertOutcomeUpdate(trx, {
      consultationId,
      recommendationId: recommendationId,
      happenedOn: input.happenedOn,
      status: input.status,
      note: input.note,
      noteHtml: note.html,
      htmlVersion: note.version,
      createdBy: me.id,
    });
    const after = (await timeline(trx, consultationId, recommendationId)).currentStatus;
    await recordAudit(trx, {
      actorId: me.id,
      action: 'summary.outcome_updated',
      targetType: 'recommendation',
      targetId: recommendationId,
      consultationId,
      before: { status: before },
      after: { status: after, happenedOn: input.happenedOn, updateId: row.id },
      requestId: ctx.requestId,
    });
    return { id: row.id, currentStatus: after };
  }
}

/**
 * Anyone, once the summary is published: one recommendation's outcome as published, every
 * dated update since (oldest first) and where that leaves it now. 404 before publication.
 */
export async function listOutcomeUpdates(db: Kysely<DB>, slug: string, recommendationSlug: string) {
  const consultation = await q.findConsultation(db, slug);
  if (!consultation || consultation.status !== 'published') throw notFound('summary');
  const recommendation = await q.findRecommendationBySlug(db, consultation.id, recommendationSlug);
  if (!recommendation) throw notFound('recommendation');
  return {
    recommendation: {
      number: recommendation.number,
      slug: recommendation.slug,
      title: recommendation.title,
    },
    ...(await timeline(db, consultation.id, recommendation.id)),
  };
}

import type { Kysely } from 'kysely';
import type { DB, Recommendation } from '#db/schema';
import {
  slugify,
  type EditRecommendationInput,
  type MoveRecommendationInput,
  type NewRecommendationInput,
} from '~/lib/schemas/consultations';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import { requireOrganisedConsultation } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError, conflict, isUniqueViolation, notFound } from '../errors';
import { renderForField } from '../markdown';
import {
  STALE_EDIT,
  changedFields,
  requireTextUnlocked,
  responsesPhrase,
  type ChangeOutcome,
} from './consultation-view';
import * as q from './queries';

/** Organisers of this consultation: appends a recommendation at the end. */
export async function addRecommendation(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: NewRecommendationInput,
  ctx: RequestContext,
) {
  const { id: consultationId } = await requireOrganisedConsultation(db, viewer, slug);
  const recommendationSlug = input.slug ?? slugify(input.title);
  if (!recommendationSlug) {
    throw new DomainError('invalid', 'Enter a web address', {
      fieldErrors: { slug: ['Enter a web address made of letters or numbers'] },
    });
  }
  const rationale = renderForField('rationale', input.rationale, 'rationale');
  try {
    return await db.transaction().execute(async (trx) => {
      // Lock the consultation so two organisers adding at once get different numbers.
      const consultation = await q.findConsultationById(trx, consultationId, { forUpdate: true });
      if (!consultation) throw notFound('consultation');
      const number = await q.nextRecommendationNumber(trx, consultationId);
      const row = await q.insertRecommendation(trx, {
        consultation_id: consultationId,
        number,
        slug: recommendationSlug,
        title: input.title,
        summary: input.summary,
        rationale: input.rationale,
        rationale_html: rationale.html,
        rationale_html_version: rationale.version,
      });
      await recordAudit(trx, {
        actorId: viewer!.id,
        action: 'recommendation.created',
        targetType: 'recommendation',
        targetId: row.id,
        consultationId,
        after: { number, slug: recommendationSlug, title: row.title },
        requestId: ctx.requestId,
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'recommendations_slug_key')) {
      throw new DomainError('conflict', 'That web address is already used', {
        fieldErrors: {
          slug: ['Another recommendation in this consultation uses that web address'],
        },
      });
    }
    throw error;
  }
}

/**
 * Organisers of this consultation: edits a recommendation, refusing stale versions; saving a
 * placeholder names it and opens it for answers. Once responses have been received, a new title
 * or a naming is only saved with `confirmed`, and is kept as a public change note; until then
 * the caller gets back what would change. Refused once the consultation has closed.
 */
export async function updateRecommendation(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  recommendationSlug: string,
  input: EditRecommendationInput,
  ctx: RequestContext,
): Promise<
  ChangeOutcome<Omit<Recommendation, 'created_at' | 'rationale_html' | 'rationale_html_version'>>
> {
  const { id: consultationId } = await requireOrganisedConsultation(db, viewer, slug);
  const rationale = renderForField('rationale', input.rationale, 'rationale');
  return db.transaction().execute(async (trx) => {
    // Locking the consultation orders this edit against closing and against other organisers'
    // edits, so the lock check and the response count hold until commit.
    const consultation = await q.findConsultationById(trx, consultationId, { forUpdate: true });
    if (!consultation) throw notFound('consultation');
    const current = await q.findRecommendationBySlug(trx, consultationId, recommendationSlug);
    if (!current) throw notFound('recommendation');
    requireTextUnlocked(consultation);
    const recommendationId = current.id;
    if (current.version !== input.version) throw conflict(STALE_EDIT);
    const naming = current.state === 'placeholder';
    const values = { title: input.title, summary: input.summary, rationale: input.rationale };
    const diff = changedFields(
      { title: current.title, summary: current.summary, rationale: current.rationale },
      values,
    );
    if (diff.keys.length === 0 && !naming) return { status: 'saved' as const, value: current };
    const retitled = current.title !== input.title;
    const responses = await q.countReceivedResponses(trx, consultationId);
    const noteworthy = naming ? consultation.status !== 'draft' : retitled && responses > 0;
    if (noteworthy && responses > 0 && input.confirmed !== 'yes') {
      return {
        status: 'needs-confirmation' as const,
        change: {
          kind: naming ? ('named' as const) : ('retitled' as const),
          responses,
          statements: naming
            ? [
                `${responsesPhrase(responses)} did not answer recommendation ${current.number}: it was a placeholder titled '${current.title}', not open for comment.`,
                `It will be named '${input.title}' and open for answers, comments and endorsements. A dated note on its public page will say it was named after responses arrived.`,
              ]
            : [
                `${responsesPhrase(responses)} were given to the title '${current.title}'; it will read '${input.title}'.`,
                `Receipts and results keep pointing to recommendation ${current.number}, and its public page will show a dated note with the former title.`,
              ],
        },
      };
    }
    const row = await q.updateRecommendation(trx, recommendationId, input.version, {
      ...values,
      rationale_html: rationale.html,
      rationale_html_version: rationale.version,
      ...(naming ? { state: 'open' as const } : {}),
    });
    if (!row) throw conflict(STALE_EDIT);
    if (noteworthy) {
      await q.insertRecommendationChange(trx, {
        recommendation_id: recommendationId,
        consultation_id: consultationId,
        kind: naming ? 'named' : 'retitled',
        old_title: current.title,
        new_title: row.title,
        responses_before: responses,
        changed_by: viewer!.id,
      });
    }
    await recordAudit(trx, {
      actorId: viewer!.id,
      action: naming ? 'recommendation.named' : 'recommendation.updated',
      targetType: 'recommendation',
      targetId: recommendationId,
      consultationId,
      before: naming ? { ...diff.before, state: 'placeholder' } : diff.before,
      after: naming ? { ...diff.after, state: 'open' } : diff.after,
      requestId: ctx.requestId,
    });
    return { status: 'saved' as const, value: row };
  });
}

/**
 * Organisers of this consultation: swaps a recommendation with its neighbour. Once responses have
 * been received the swap needs `confirmed` and leaves a public change note on both; refused once
 * the consultation has closed.
 */
export async function moveRecommendation(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: MoveRecommendationInput,
  ctx: RequestContext,
): Promise<ChangeOutcome<null>> {
  const { id: consultationId } = await requireOrganisedConsultation(db, viewer, slug);
  return db.transaction().execute(async (trx) => {
    const consultation = await q.findConsultationById(trx, consultationId, { forUpdate: true });
    if (!consultation) throw notFound('consultation');
    requireTextUnlocked(consultation);
    const all = await q.listRecommendations(trx, consultationId);
    const index = all.findIndex((r) => r.id === input.recommendationId);
    const moving = all[index];
    if (!moving) throw notFound('recommendation');
    const other = all[input.intent === 'move-up' ? index - 1 : index + 1];
    // Already first or last (e.g. a double click): nothing to do.
    if (!other) return { status: 'saved' as const, value: null };
    if (input.fromNumber !== undefined && input.fromNumber !== moving.number) {
      throw conflict(
        'Someone else changed the order while you were confirming. Check the order below and move it again if you still want to.',
      );
    }
    const responses = await q.countReceivedResponses(trx, consultationId);
    if (responses > 0 && input.confirmed !== 'yes') {
      return {
        status: 'needs-confirmation' as const,
        change: {
          kind: 'moved' as const,
          responses,
          statements: [
            `${responsesPhrase(responses)} were given '${moving.title}' as recommendation ${moving.number} and '${other.title}' as recommendation ${other.number}.`,
            `'${moving.title}' will become recommendation ${other.number} and '${other.title}' will become recommendation ${moving.number}. Both public pages will show a dated note with their former numbers.`,
          ],
        },
      };
    }
    await q.setRecommendationNumber(trx, moving.id, other.number);
    await q.setRecommendationNumber(trx, other.id, moving.number);
    if (responses > 0) {
      for (const [r, to] of [
        [moving, other.number],
        [other, moving.number],
      ] as const) {
        await q.insertRecommendationChange(trx, {
          recommendation_id: r.id,
          consultation_id: consultationId,
          kind: 'moved',
          old_number: r.number,
          new_number: to,
          responses_before: responses,
          changed_by: viewer!.id,
        });
      }
    }
    await recordAudit(trx, {
      actorId: viewer!.id,
      action: 'recommendation.moved',
      targetType: 'recommendation',
      targetId: moving.id,
      consultationId,
      before: { number: moving.number },
      after: { number: other.number },
      requestId: ctx.requestId,
    });
    return { status: 'saved' as const, value: null };
  });
}

/**
 * Organisers of this consultation: removes a recommendation while the consultation is a draft.
 * Once it has opened, people may have answered it, so it stays.
 */
export async function removeRecommendation(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  recommendationSlug: string,
  version: number,
  ctx: RequestContext,
) {
  const { id: consultationId } = await requireOrganisedConsultation(db, viewer, slug);
  await db.transaction().execute(async (trx) => {
    const consultation = await q.findConsultationById(trx, consultationId, { forUpdate: true });
    if (!consultation) throw notFound('consultation');
    if (consultation.status !== 'draft') {
      throw new DomainError(
        'invalid',
        'Recommendations can only be removed while the consultation is a draft.',
      );
    }
    const current = await q.findRecommendationBySlug(trx, consultationId, recommendationSlug);
    if (!current) return; // already removed, e.g. by a double click
    if (current.version !== version) throw conflict(STALE_EDIT);
    await q.deleteRecommendation(trx, current.id);
    await q.renumberAfter(trx, consultationId, current.number);
    await recordAudit(trx, {
      actorId: viewer!.id,
      action: 'recommendation.removed',
      targetType: 'recommendation',
      targetId: current.id,
      consultationId,
      before: { number: current.number, slug: current.slug, title: current.title },
      requestId: ctx.requestId,
    });
  });
}

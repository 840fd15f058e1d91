import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { EditConsultationInput, NewConsultationInput } from '~/lib/schemas/consultations';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import { requireOrganisedConsultation, requireOrganiser } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError, conflict, isUniqueViolation, notFound } from '../errors';
import { renderForField } from '../markdown';
import {
  STALE_EDIT,
  changedFields,
  presentConsultation,
  type ConsultationRow,
} from './consultation-view';
import * as q from './queries';

/** Site-wide organisers only: creates a draft consultation. */
export async function createConsultation(
  db: Kysely<DB>,
  viewer: Viewer | null,
  input: NewConsultationInput,
  ctx: RequestContext,
) {
  requireOrganiser(viewer, null);
  const body = renderForField('description', input.body, 'body');
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await q.insertConsultation(trx, {
        slug: input.slug,
        title: input.title,
        summary: input.summary,
        body: input.body,
        body_html: body.html,
        body_html_version: body.version,
        run_by: input.runBy,
        opens_at: input.opensAt,
        closes_at: input.closesAt,
        created_by: viewer!.id,
      });
      await recordAudit(trx, {
        actorId: viewer!.id,
        action: 'consultation.created',
        targetType: 'consultation',
        targetId: row.id,
        consultationId: row.id,
        after: { slug: row.slug, title: row.title },
        requestId: ctx.requestId,
      });
      return presentConsultation(row);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'consultations_slug_key')) {
      // A double click on "Create draft" sends the same form twice: the second one gets the draft
      // the first made rather than a conflict about its own web address.
      const existing = await q.findConsultationBySlug(db, input.slug);
      if (existing && isSameDraft(existing, viewer!.id, input))
        return presentConsultation(existing);
      throw new DomainError('conflict', 'That web address is already used', {
        fieldErrors: { slug: ['That web address is already used by another consultation'] },
      });
    }
    throw error;
  }
}

const SAME_DRAFT_WINDOW_MS = 2 * 60_000;

function isSameDraft(
  existing: ConsultationRow & { created_by: string | null; created_at: Date },
  viewerId: string,
  input: NewConsultationInput,
) {
  return (
    existing.status === 'draft' &&
    existing.created_by === viewerId &&
    existing.title === input.title &&
    existing.summary === input.summary &&
    Date.now() - existing.created_at.getTime() < SAME_DRAFT_WINDOW_MS
  );
}

/** Organisers of this consultation: edits its text and dates, refusing stale versions. */
export async function updateConsultation(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: EditConsultationInput,
  ctx: RequestContext,
) {
  const { id: consultationId } = await requireOrganisedConsultation(db, viewer, slug);
  // Rendered before the row is locked: the render is the slow part of a save.
  const body = renderForField('description', input.body, 'body');
  return db.transaction().execute(async (trx) => {
    const current = await q.findConsultationById(trx, consultationId, { forUpdate: true });
    if (!current) throw notFound('consultation');
    if (current.version !== input.version) throw conflict(STALE_EDIT);
    if (current.status !== 'draft' && !input.closesAt) {
      throw new DomainError('invalid', 'A consultation that has opened needs a closing date', {
        fieldErrors: { closesAt: ['Enter a closing date and time'] },
      });
    }
    if (current.status === 'open' && input.closesAt && input.closesAt <= new Date()) {
      throw new DomainError(
        'invalid',
        'The closing date of an open consultation must be in the future',
        {
          fieldErrors: {
            closesAt: ['Enter a closing date in the future, or use "Close consultation now"'],
          },
        },
      );
    }
    const values = {
      title: input.title,
      summary: input.summary,
      body: input.body,
      run_by: input.runBy,
      opens_at: input.opensAt,
      closes_at: input.closesAt,
    };
    const diff = changedFields(
      {
        title: current.title,
        summary: current.summary,
        body: current.body,
        run_by: current.run_by,
        opens_at: current.opens_at,
        closes_at: current.closes_at,
      },
      values,
    );
    if (diff.keys.length === 0) return presentConsultation(current);
    const row = await q.updateConsultation(trx, consultationId, input.version, {
      ...values,
      body_html: body.html,
      body_html_version: body.version,
    });
    if (!row) throw conflict(STALE_EDIT);
    await recordAudit(trx, {
      actorId: viewer!.id,
      action: 'consultation.updated',
      targetType: 'consultation',
      targetId: consultationId,
      consultationId,
      before: diff.before,
      after: diff.after,
      requestId: ctx.requestId,
    });
    return presentConsultation(row);
  });
}

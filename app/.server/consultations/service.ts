import type { Kysely } from 'kysely';
import type { Consultation, DB, Recommendation } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import {
  slugify,
  type ConsultationStatusInput,
  type EditConsultationInput,
  type EditRecommendationInput,
  type MoveRecommendationInput,
  type NewConsultationInput,
  type NewRecommendationInput,
} from '~/lib/schemas/consultations';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, conflict, isUniqueViolation, notFound } from '../errors';
import { renderForField, storedHtml } from '../markdown';
import * as q from './queries';
import {
  isOrganiser,
  isSiteOrganiser,
  requireOrganisedConsultation,
  requireOrganiser,
} from '../auth/permissions';

type ConsultationRow = Pick<
  Consultation,
  | 'id'
  | 'slug'
  | 'title'
  | 'summary'
  | 'body'
  | 'run_by'
  | 'status'
  | 'opens_at'
  | 'closes_at'
  | 'version'
  | 'updated_at'
>;

const STALE_EDIT =
  'Someone else saved a change while you were editing. Your version is below and has not been saved: check it against the current one and save again.';

const LOCKED =
  'This consultation has closed, so the text and order of its recommendations are locked: they must stay what respondents answered. Corrections will be made through correction notes on the published summary.';

/** Once a consultation has closed, what people answered is settled: its text is locked. */
function requireTextUnlocked(consultation: ConsultationRow) {
  if (phaseOf(consultation) === 'closed' || consultation.status === 'published') {
    throw new DomainError('closed', LOCKED);
  }
}

function isLocked(consultation: ConsultationRow) {
  return phaseOf(consultation) === 'closed' || consultation.status === 'published';
}

/**
 * A change the organiser must confirm because responses have already been received: what it
 * changes, in sentences shown on the ConfirmChange panel before anything is saved.
 */
export type PendingChange = {
  kind: 'retitled' | 'moved' | 'named';
  responses: number;
  statements: string[];
};

export type ChangeOutcome<T> =
  { status: 'saved'; value: T } | { status: 'needs-confirmation'; change: PendingChange };

function responsesPhrase(n: number) {
  return `Responses already received (${n})`;
}

function presentConsultation(row: ConsultationRow, now = new Date()) {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    runBy: row.run_by,
    status: row.status,
    phase: phaseOf(row, now),
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    version: row.version,
    updatedAt: row.updated_at,
  };
}
export type ConsultationView = ReturnType<typeof presentConsultation>;

/** Public: every consultation that is not a draft; organisers also see drafts. */
export async function listConsultations(db: Kysely<DB>, viewer: Viewer | null) {
  const rows = await q.listConsultations(db, { includeDrafts: isSiteOrganiser(viewer) });
  return rows.map((row) => ({
    ...presentConsultation(row),
    recommendationCount: row.recommendation_count ?? 0,
  }));
}

async function loadVisible(db: Kysely<DB>, slug: string, viewer: Viewer | null) {
  const row = await q.findConsultationBySlug(db, slug);
  // A draft is invisible, not forbidden, to anyone who cannot organise it.
  if (!row || (row.status === 'draft' && !isOrganiser(viewer, row.id))) {
    throw notFound('consultation');
  }
  return row;
}

/** Public: a consultation with its rendered description and recommendations. */
export async function getConsultation(db: Kysely<DB>, slug: string, viewer: Viewer | null) {
  const row = await loadVisible(db, slug, viewer);
  const recommendations = await q.listRecommendations(db, row.id);
  return {
    consultation: {
      ...presentConsultation(row),
      bodyHtml: storedHtml(row.body_html, row.body),
    },
    recommendations: recommendations.map((r) => ({
      id: r.id,
      number: r.number,
      slug: r.slug,
      title: r.title,
      summary: r.summary,
      state: r.state,
    })),
    canOrganise: isOrganiser(viewer, row.id),
  };
}

/** Public: one recommendation with its rendered rationale and its neighbours for navigation. */
export async function getRecommendation(
  db: Kysely<DB>,
  slug: string,
  recommendationSlug: string,
  viewer: Viewer | null,
) {
  const row = await loadVisible(db, slug, viewer);
  const all = await q.listRecommendations(db, row.id);
  const index = all.findIndex((r) => r.slug === recommendationSlug);
  const recommendation = all[index];
  if (!recommendation) throw notFound('recommendation');
  const link = (r: (typeof all)[number] | undefined) =>
    r ? { number: r.number, slug: r.slug, title: r.title } : null;
  return {
    consultation: presentConsultation(row),
    recommendation: {
      id: recommendation.id,
      number: recommendation.number,
      slug: recommendation.slug,
      title: recommendation.title,
      summary: recommendation.summary,
      rationaleHtml: storedHtml(
        await q.findRationaleHtml(db, recommendation.id),
        recommendation.rationale,
      ),
      updatedAt: recommendation.updated_at,
      state: recommendation.state,
    },
    changes: (await q.listRecommendationChanges(db, recommendation.id)).map((c) => ({
      id: c.id,
      kind: c.kind,
      oldTitle: c.old_title,
      newTitle: c.new_title,
      oldNumber: c.old_number,
      newNumber: c.new_number,
      at: c.created_at,
    })),
    total: all.length,
    previous: link(all[index - 1]),
    next: link(all[index + 1]),
    canOrganise: isOrganiser(viewer, row.id),
  };
}

/** Organisers only: everything needed to edit a consultation, with raw markdown. */
export async function getConsultationForEditing(
  db: Kysely<DB>,
  slug: string,
  viewer: Viewer | null,
) {
  const row = await q.findConsultationBySlug(db, slug);
  if (!row) throw notFound('consultation');
  requireOrganiser(viewer, row.id);
  const recommendations = await q.listRecommendations(db, row.id);
  return {
    consultation: { ...presentConsultation(row), body: row.body },
    recommendations,
    locked: isLocked(row),
    receivedResponses: await q.countReceivedResponses(db, row.id),
  };
}

/** Organisers only: one recommendation with raw markdown, for its edit form. */
export async function getRecommendationForEditing(
  db: Kysely<DB>,
  slug: string,
  recommendationSlug: string,
  viewer: Viewer | null,
) {
  const row = await q.findConsultationBySlug(db, slug);
  if (!row) throw notFound('consultation');
  requireOrganiser(viewer, row.id);
  const recommendation = await q.findRecommendationBySlug(db, row.id, recommendationSlug);
  if (!recommendation) throw notFound('recommendation');
  return {
    consultation: presentConsultation(row),
    recommendation,
    locked: isLocked(row),
    receivedResponses: await q.countReceivedResponses(db, row.id),
  };
}

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

function changedFields<T extends Record<string, unknown>>(before: T, after: T) {
  const keys = Object.keys(after).filter((key) => {
    const a = before[key];
    const b = after[key];
    if (a instanceof Date || b instanceof Date) {
      return (a as Date | null)?.getTime() !== (b as Date | null)?.getTime();
    }
    return a !== b;
  });
  const pick = (source: T) => Object.fromEntries(keys.map((k) => [k, source[k]]));
  return { keys, before: pick(before), after: pick(after) };
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

/** Organisers of this consultation: what closing it now would do, for the confirmation page. */
export async function getClosingSummary(db: Kysely<DB>, slug: string, viewer: Viewer | null) {
  const row = await q.findConsultationBySlug(db, slug);
  if (!row) throw notFound('consultation');
  requireOrganiser(viewer, row.id);
  const phase = phaseOf(row);
  return {
    consultation: presentConsultation(row),
    canClose: phase === 'open' || phase === 'upcoming',
    receivedResponses: await q.countReceivedResponses(db, row.id),
    unsubmittedResponses: await q.countUnsubmittedResponses(db, row.id),
  };
}

/**
 * Organisers of this consultation: opens it for responses or closes it. Asking for the state it
 * is already in changes nothing, so a double click is harmless.
 */
export async function changeConsultationStatus(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: ConsultationStatusInput,
  ctx: RequestContext,
) {
  const { id: consultationId } = await requireOrganisedConsultation(db, viewer, slug);
  return db.transaction().execute(async (trx) => {
    const current = await q.findConsultationById(trx, consultationId, { forUpdate: true });
    if (!current) throw notFound('consultation');
    const now = new Date();
    const phase = phaseOf(current, now);

    if (input.intent === 'open') {
      if (current.status === 'open' && phase !== 'closed') return presentConsultation(current);
      if (current.status === 'published') {
        throw new DomainError(
          'invalid',
          'A consultation whose summary is published cannot reopen.',
        );
      }
      if (!current.closes_at || current.closes_at <= now) {
        throw new DomainError('invalid', 'Set a closing date in the future before opening.', {
          fieldErrors: { closesAt: ['Enter a closing date in the future'] },
        });
      }
      const count = (await q.listRecommendations(trx, consultationId)).length;
      if (count === 0) {
        throw new DomainError('invalid', 'Add at least one recommendation before opening.');
      }
    } else {
      if (phase === 'closed' || current.status === 'published') {
        return presentConsultation(current);
      }
      if (current.status === 'draft') {
        throw new DomainError('invalid', 'A draft has not opened, so it cannot close.');
      }
    }
    if (current.version !== input.version) throw conflict(STALE_EDIT);

    const values =
      input.intent === 'open'
        ? { status: 'open' as const }
        : {
            status: 'closed' as const,
            // Record when it actually closed, so the public page does not promise later dates.
            closes_at: current.closes_at && current.closes_at < now ? current.closes_at : now,
          };
    const row = await q.updateConsultation(trx, consultationId, current.version, values);
    if (!row) throw conflict(STALE_EDIT);
    await recordAudit(trx, {
      actorId: viewer!.id,
      action: input.intent === 'open' ? 'consultation.opened' : 'consultation.closed',
      targetType: 'consultation',
      targetId: consultationId,
      consultationId,
      before: { status: current.status },
      after: { status: row.status, closes_at: row.closes_at },
      requestId: ctx.requestId,
    });
    return presentConsultation(row);
  });
}

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

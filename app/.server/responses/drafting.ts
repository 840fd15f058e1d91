import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type { AnswerInput, FinalStepInput, ProfileStepInput } from '~/lib/schemas/responses';
import { type Viewer } from '../auth';
import { requireMayDraft, requireSignedIn } from '../auth/permissions';
import { notFound } from '../errors';
import { onceForKey } from '../idempotency';
import { databaseNow, requireOpenForComment } from '../participation';
import { updateProfile } from '../profiles';
import * as q from './queries';
import { loadConsultation, requireOpen, type ConsultationRow } from './questionnaire';

// Saving the questionnaire's pages into the working copy, one page at a time.

/**
 * Records a change to the working copy. A submitted response then has changes that do not count
 * until resubmitted; saving a page unchanged is not a change.
 */
async function touch(trx: Transaction<DB>, responseId: string, changed: boolean) {
  if (!changed) return;
  await q.touchResponse(trx, responseId);
}

/** A questionnaire page's save, told apart from the same page's other saves by its key. */
function pageSave(
  me: Viewer,
  input: { idempotencyKey?: string | undefined },
  action: string,
  targetId: string,
  consultationId: string,
) {
  return { userId: me.id, key: input.idempotencyKey, action, targetId, consultationId };
}

/** The page that follows: the next recommendation by number, then the overall-comments page. */
async function stepAfter(
  trx: Transaction<DB>,
  consultation: ConsultationRow,
  afterNumber: number | null,
) {
  const next = await q.findOpenRecommendationAfter(trx, consultation.id, afterNumber ?? 0);
  const base = `/consultations/${consultation.slug}/respond`;
  return next ? `${base}/recommendations/${next.slug}` : `${base}/final`;
}

/**
 * The signed-in respondent: saves "About you" and starts a draft response if none exists. The
 * same form sent again (same key) answers as the first did and changes nothing.
 */
export async function saveProfileStep(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: ProfileStepInput,
): Promise<{ next: string }> {
  const me = requireSignedIn(viewer);
  return db.transaction().execute(async (trx) => {
    const consultation = await loadConsultation(trx, slug);
    const write = pageSave(me, input, 'response.profile_saved', consultation.id, consultation.id);
    return onceForKey(trx, write, async () => {
      requireOpen(consultation, await databaseNow(trx));
      await requireMayDraft(trx, me);
      await q.ensureResponse(trx, consultation.id, me.id);
      await updateProfile(trx, me, input);
      return { next: await stepAfter(trx, consultation, null) };
    });
  });
}

/**
 * The signed-in respondent: saves their answer to one recommendation into the working copy.
 * Each page writes only its own row, so two tabs on different pages never overwrite each other;
 * on the same page the later save wins. An empty page clears the answer. A retry of a save
 * (same key) answers as the first did and writes nothing, so it cannot undo a later save made
 * in another tab.
 */
export async function saveAnswer(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  recommendationSlug: string,
  input: AnswerInput,
): Promise<{ next: string }> {
  const me = requireSignedIn(viewer);
  return db.transaction().execute(async (trx) => {
    const consultation = await loadConsultation(trx, slug);
    const recommendation = await q.findRecommendation(trx, consultation.id, recommendationSlug);
    if (!recommendation) throw notFound('recommendation');
    const write = pageSave(me, input, 'response.answer_saved', recommendation.id, consultation.id);
    return onceForKey(trx, write, () => writeAnswer(trx, me, consultation, recommendation, input));
  });
}

async function writeAnswer(
  trx: Transaction<DB>,
  me: Viewer,
  consultation: ConsultationRow,
  recommendation: { id: string; number: number; state: 'open' | 'placeholder' },
  input: AnswerInput,
) {
  requireOpen(consultation, await databaseNow(trx));
  await requireMayDraft(trx, me);
  requireOpenForComment(recommendation);
  const response = await q.ensureResponse(trx, consultation.id, me.id);
  const values = input.stance
    ? {
        stance: input.stance,
        importance: input.importance ?? null,
        reasons: input.reasons,
        change_mind: input.changeMind,
      }
    : null;
  const before = await q.findAnswer(trx, response.id, recommendation.id);
  const changed = before
    ? !values ||
      before.stance !== values.stance ||
      before.importance !== values.importance ||
      before.reasons !== values.reasons ||
      before.change_mind !== values.change_mind
    : values !== null;
  if (values) await q.upsertAnswer(trx, response.id, recommendation.id, values);
  else await q.deleteAnswer(trx, response.id, recommendation.id);
  await touch(trx, response.id, changed);
  return { next: await stepAfter(trx, consultation, recommendation.number) };
}

/**
 * The signed-in respondent: saves overall comments and their publishing choice; the same form
 * sent again (same key) changes nothing.
 */
export async function saveFinalStep(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: FinalStepInput,
) {
  const me = requireSignedIn(viewer);
  await db.transaction().execute(async (trx) => {
    const consultation = await loadConsultation(trx, slug);
    const write = pageSave(me, input, 'response.final_saved', consultation.id, consultation.id);
    await onceForKey(trx, write, () => writeFinalStep(trx, me, consultation, input));
  });
}

async function writeFinalStep(
  trx: Transaction<DB>,
  me: Viewer,
  consultation: ConsultationRow,
  input: FinalStepInput,
) {
  requireOpen(consultation, await databaseNow(trx));
  await requireMayDraft(trx, me);
  const response = await q.ensureResponse(trx, consultation.id, me.id);
  const overallComments = input.overallComments ?? '';
  // The publishing choice applies at once; the comments count from the next submission.
  await q.setFinalStep(trx, response.id, { overallComments, consent: input.consent });
  await touch(trx, response.id, (response.overall_comments ?? '') !== overallComments);
}

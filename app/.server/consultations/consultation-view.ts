import type { Kysely } from 'kysely';
import type { Consultation, DB } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import { type Viewer } from '../auth';
import { isOrganiser, requireOrganiser } from '../auth/permissions';
import { DomainError, notFound } from '../errors';
import * as q from './queries';

// What every part of the consultations module shares: the row as read, how it is shown, and
// the rules that keep an edit from overwriting someone else's or what respondents answered.

export type ConsultationRow = Pick<
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

export const STALE_EDIT =
  'Someone else saved a change while you were editing. Your version is below and has not been saved: check it against the current one and save again.';

const LOCKED =
  'This consultation has closed, so the text and order of its recommendations are locked: they must stay what respondents answered. Corrections will be made through correction notes on the published summary.';

/** Once a consultation has closed, what people answered is settled: its text is locked. */
export function isLocked(consultation: ConsultationRow) {
  const phase = phaseOf(consultation);
  return phase === 'closed' || phase === 'analysing' || phase === 'published';
}

export function requireTextUnlocked(consultation: ConsultationRow) {
  if (isLocked(consultation)) throw new DomainError('closed', LOCKED);
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

export function responsesPhrase(n: number) {
  return `Responses already received (${n})`;
}

export function presentConsultation(row: ConsultationRow, now = new Date()) {
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

/** A consultation anyone may see: a draft is invisible, not forbidden, to non-organisers. */
export async function loadVisible(db: Kysely<DB>, slug: string, viewer: Viewer | null) {
  const row = await q.findConsultationBySlug(db, slug);
  if (!row || (row.status === 'draft' && !isOrganiser(viewer, row.id))) {
    throw notFound('consultation');
  }
  return row;
}

/** The whole row for an organiser's page: 404 when no consultation has the slug, then 401/403. */
export async function loadOrganised(db: Kysely<DB>, slug: string, viewer: Viewer | null) {
  const row = await q.findConsultationBySlug(db, slug);
  if (!row) throw notFound('consultation');
  requireOrganiser(viewer, row.id);
  return row;
}

export function changedFields<T extends Record<string, unknown>>(before: T, after: T) {
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

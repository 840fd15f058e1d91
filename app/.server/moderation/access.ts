import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { ModerationMode } from '~/lib/enums';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import { canModerate, isOrganiser, requireSignedIn } from '../auth/permissions';
import type { RequestContext } from '../context';
import { forbidden, notFound } from '../errors';
import { findConsultation } from './queries';

export type Staff = { viewer: Viewer; consultation: StaffConsultation; isOrganiser: boolean };
type StaffConsultation = {
  id: string;
  slug: string;
  title: string;
  moderation_mode: ModerationMode;
  report_threshold: number;
};

/**
 * The moderator or organiser of this consultation (or of every one). Anyone else is refused;
 * a refused write is written to the audit log, so probing leaves a trace.
 */
export async function requireStaff(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  attempt?: { action: string; ctx: RequestContext },
): Promise<Staff> {
  const me = requireSignedIn(viewer);
  const consultation = await findConsultation(db, slug);
  if (!consultation) throw notFound('consultation');
  if (!canModerate(me, consultation.id)) {
    if (attempt) {
      await recordAudit(db, {
        actorId: me.id,
        action: 'moderation.refused',
        targetType: 'consultation',
        targetId: consultation.id,
        consultationId: consultation.id,
        reason: `Not a moderator or organiser of this consultation (tried: ${attempt.action}).`,
        requestId: attempt.ctx.requestId,
      });
    }
    throw forbidden('Only moderators and organisers of this consultation can do that.');
  }
  return { viewer: me, consultation, isOrganiser: isOrganiser(me, consultation.id) };
}

/**
 * For moderation form actions, before the form is read: refuses (and logs) anyone who may not
 * moderate this consultation, so a refused POST is a 403 whatever it contains.
 */
export async function requireModerationAccess(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  attempt: { action: string; ctx: RequestContext },
) {
  await requireStaff(db, viewer, slug, attempt);
}

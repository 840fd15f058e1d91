import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import { type Viewer } from '../auth';
import { requireSignedIn } from '../auth/permissions';
import * as q from './queries';

/** The signed-in person: every response they have started, newest activity first. */
export async function listMyResponses(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const rows = await q.listMyResponses(db, me.id);
  return rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    status: r.status,
    reference: r.reference,
    version: r.current_version,
    hasUnsubmittedChanges: r.has_unsubmitted_changes,
    firstSubmittedAt: r.first_submitted_at,
    lastSubmittedAt: r.last_submitted_at,
    updatedAt: r.updated_at,
    phase: phaseOf({ status: r.consultation_status, opens_at: r.opens_at, closes_at: r.closes_at }),
  }));
}

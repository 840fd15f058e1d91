import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { Viewer } from '../auth';
import { requireSignedIn } from '../auth/permissions';
import * as q from './data-export-queries';

/**
 * The signed-in person only: everything stored about them, for them to keep. Session ids are
 * hashes of the cookie secret but still identify a live session, so only their expiry is given.
 */
export async function exportMyData(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const userId = me.id;
  const mine = await q.readPersonalData(db, userId);
  const { account, profile, responses, roles, votes, verification, formKeys } = mine;
  const { answers, submitted, versions } = await q.readResponseDetails(
    db,
    responses.map((r) => r.id),
  );
  const strip = <T extends { response_id: string }>(rows: T[], id: string) =>
    rows.filter((r) => r.response_id === id).map(({ response_id: _id, ...rest }) => rest);
  return {
    exportedAt: new Date().toISOString(),
    account: { ...account, roles },
    profile: profile ?? null,
    responses: responses.map((r) => ({
      ...r,
      workingAnswers: strip(answers, r.id),
      submittedAnswers: strip(submitted, r.id),
      // Each submitted version is the receipt of what was saved.
      receipts: strip(versions, r.id),
    })),
    comments: mine.comments,
    endorsements: mine.endorsements,
    helpfulVotes: votes,
    reports: mine.reports,
    verificationRequests: verification,
    suspensions: mine.suspensions,
    notifications: mine.notifications,
    emails: mine.emails,
    emailPreferences: mine.emailPreferences,
    sessions: mine.sessions,
    formsSentRecently: formKeys,
  };
}

import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type { DeleteAccountInput } from '~/lib/schemas/privacy';
import { recordAudit } from '../audit';
import { verifyPassword } from '../auth';
import type { Viewer } from '../auth';
import { SIGN_IN_TO_CONTINUE, requireSignedIn } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError } from '../errors';
import { hitRateLimit, type RateLimit } from '../rate-limits';
import * as q from './queries';

/** The signed-in person only: what deleting their account would do, consultation by consultation. */
export async function describeDeletion(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const [responses, owned] = await Promise.all([
    q.listResponsesWithPolicy(db, me.id),
    q.countCommentsAndEndorsementsOf(db, me.id),
  ]);
  return {
    responses: responses.map((r) => ({
      slug: r.slug,
      title: r.title,
      // A draft was never counted, so it is always removed.
      outcome: r.status === 'draft' ? ('erase' as const) : r.deletion_policy,
      draft: r.status === 'draft',
    })),
    ...owned,
  };
}

export const ACCOUNT_DELETION_FAILURES: RateLimit = {
  name: 'account-deletion-failures',
  limit: 5,
  windowSeconds: 300,
};

export type DeletionSummary = {
  pseudonym: string;
  responsesErased: number;
  responsesAnonymised: number;
  comments: number;
  endorsements: number;
  votes: number;
  reports: number;
};

/**
 * The signed-in person only, with their password: deletes their account in one transaction.
 * Responses are erased or anonymised as each consultation's notice says, endorsements, votes
 * and reports go with their counters, comments become tombstones, the audit log keeps a
 * pseudonym, and the rollups are kept by their triggers in the same transaction.
 */
export async function deleteAccount(
  db: Kysely<DB>,
  viewer: Viewer | null,
  input: DeleteAccountInput,
  ctx: RequestContext,
): Promise<DeletionSummary> {
  const me = requireSignedIn(viewer);
  const passwordHash = await q.findPasswordHash(db, me.id);
  if (passwordHash === undefined) throw new DomainError('unauthenticated', SIGN_IN_TO_CONTINUE);
  if (!(await verifyPassword(passwordHash, input.password))) {
    const limit = await hitRateLimit(db, ACCOUNT_DELETION_FAILURES, me.id);
    if (limit.limited) {
      throw new DomainError(
        'rate_limited',
        `Too many wrong passwords. Wait ${limit.retryAfterSeconds} seconds, then try again.`,
        { retryAfterSeconds: limit.retryAfterSeconds },
      );
    }
    throw new DomainError('invalid', 'The password is not right', {
      fieldErrors: { password: ['The password is not right'] },
    });
  }
  const summary = await eraseAccount(db, me.id, ctx);
  if (!summary) throw new DomainError('unauthenticated', SIGN_IN_TO_CONTINUE);
  return summary;
}

/**
 * Inside the caller's transaction: deletes responses with their answers and versions (and the
 * moderation history of their quotes). The rollup triggers subtract what each one counted, so
 * the results stay equal to the rows; this is the one way a response is removed.
 */
export async function eraseResponses(trx: Transaction<DB>, ids: string[]) {
  await q.allowErasure(trx);
  await q.deleteResponses(trx, ids);
}

/**
 * Deletes an account and what it owns; null when it was already gone (a second click of the
 * same button waits on the row lock, then finds nothing to do).
 */
export async function eraseAccount(
  db: Kysely<DB>,
  userId: string,
  ctx: RequestContext,
): Promise<DeletionSummary | null> {
  return db.transaction().execute(async (trx) => {
    const user = await q.lockUser(trx, userId);
    if (!user) return null;
    await q.allowErasure(trx);
    const pseudonym = randomUUID();
    const responses = await q.lockResponsesOf(trx, userId);
    const erase = responses
      .filter((r) => r.status === 'draft' || r.deletion_policy === 'erase')
      .map((r) => r.id);
    const anonymise = responses.filter((r) => !erase.includes(r.id)).map((r) => r.id);
    await eraseResponses(trx, erase);
    await q.anonymiseResponses(trx, anonymise);
    // Each consultation's log records that a response it received was withdrawn, and how.
    for (const r of responses.filter((r) => r.status !== 'draft')) {
      await recordAudit(trx, {
        actorId: pseudonym,
        action: 'response.withdrawn',
        targetType: 'response',
        targetId: r.id,
        consultationId: r.consultation_id,
        after: { outcome: erase.includes(r.id) ? 'erased' : 'anonymised' },
        requestId: ctx.requestId,
      });
    }
    const endorsements = await q.deleteEndorsementsOf(trx, userId);
    const { votes, reports } = await q.deleteVotesAndReportsOf(trx, userId);
    const comments = await q.tombstoneComments(trx, { authorId: userId });
    await q.pseudonymiseAudit(trx, userId, pseudonym);
    await q.deleteRateLimitsFor(trx, user.email, userId);
    await q.deleteEmailsOf(trx, user.email, userId);
    await q.deleteUser(trx, userId);
    const summary: DeletionSummary = {
      pseudonym,
      responsesErased: erase.length,
      responsesAnonymised: anonymise.length,
      comments,
      endorsements,
      votes,
      reports,
    };
    const { pseudonym: _p, ...counts } = summary;
    await recordAudit(trx, {
      actorId: pseudonym,
      action: 'account.deleted',
      targetType: 'user',
      targetId: pseudonym,
      after: counts,
      requestId: ctx.requestId,
    });
    return summary;
  });
}

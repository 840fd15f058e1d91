import type { Kysely } from 'kysely';
import type { DB, Segment } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError } from '../errors';
import { onceForKey } from '../idempotency';
import { decodeKeyset, encodeKeyset } from '../keyset';
import {
  databaseNow,
  enforceRateLimits,
  findRecommendation,
  requireOpenForComment,
  requireOpen,
} from '../participation';
import { requireMayTakePart, requireSignedIn } from '../auth/permissions';
import type { RateLimit } from '../rate-limits';
import * as q from './queries';

export const ENDORSEMENTS_PER_ACCOUNT: RateLimit = {
  name: 'endorsements-account',
  limit: 30,
  windowSeconds: 600,
};
// Offices and universities share an address, so the per-address allowance is wider.
export const ENDORSEMENTS_PER_IP: RateLimit = {
  name: 'endorsements-ip',
  limit: 120,
  windowSeconds: 600,
};
export const NAMED_ENDORSERS_PAGE_SIZE = 25;

export type EndorsementChoices = { onBehalfOfOrganisation: boolean; showName: boolean };
/** The key of the form that asked, so that sending it again is not a second request. */
export type EndorsementForm = { idempotencyKey?: string | undefined };
/** `changed` is false when the request found things already as asked (a double click). */
export type EndorseResult = { endorsed: boolean; changed: boolean };

export type NamedEndorser = {
  id: string;
  displayName: string;
  segment: Segment;
  /** The organisation endorsed for, shown only while the endorser's profile is verified. */
  onBehalfOf: string | null;
  /** Whether the organisers have verified who the endorser speaks for (today, not at endorsing). */
  verified: boolean;
  endorsedAt: Date;
};
export type NamedEndorsersPage = { endorsers: NamedEndorser[]; nextCursor: string | null };

function rateLimits(me: Viewer, ctx: RequestContext) {
  return [
    { rule: ENDORSEMENTS_PER_ACCOUNT, subject: me.id },
    { rule: ENDORSEMENTS_PER_IP, subject: ctx.clientIp },
  ];
}

/** Endorsing and withdrawing are told apart, so one page's key serves both of its forms. */
function keyed(
  me: Viewer,
  form: EndorsementForm,
  action: 'endorsement.endorse' | 'endorsement.withdraw',
  consultation: { id: string },
  recommendation: { id: string },
) {
  return {
    userId: me.id,
    key: form.idempotencyKey,
    action,
    targetId: recommendation.id,
    consultationId: consultation.id,
  };
}

/**
 * Signed-in people, while the consultation is open: endorses a recommendation. Endorsing again
 * changes nothing (the first choices stay); any number of simultaneous requests make one
 * endorsement and count it once, because only the request that inserted the row counts it.
 * The same form sent again (same key) answers as the first did, even after a withdrawal since.
 */
export async function endorse(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  recommendationSlug: string,
  input: EndorsementChoices & EndorsementForm,
  ctx: RequestContext,
): Promise<EndorseResult> {
  const me = requireSignedIn(viewer);
  await enforceRateLimits(db, rateLimits(me, ctx));
  return db.transaction().execute(async (trx) => {
    const { consultation, recommendation } = await findRecommendation(
      trx,
      null,
      consultationSlug,
      recommendationSlug,
    );
    const write = keyed(me, input, 'endorsement.endorse', consultation, recommendation);
    return onceForKey(trx, write, async () => {
      requireOpen(consultation, await databaseNow(trx));
      requireOpenForComment(recommendation);
      await requireMayTakePart(trx, me);
      const profile = await q.findProfile(trx, me.id);
      if (input.onBehalfOfOrganisation && !profile.organisation) {
        throw new DomainError('invalid', 'Add your organisation to your profile first', {
          fieldErrors: {
            onBehalfOfOrganisation: [
              'Add your organisation to your profile before endorsing on its behalf',
            ],
          },
        });
      }
      const inserted = await q.insertEndorsement(trx, {
        recommendation_id: recommendation.id,
        consultation_id: consultation.id,
        user_id: me.id,
        on_behalf_of_organisation: input.onBehalfOfOrganisation,
        show_name: input.showName,
        segment: profile.segment,
        display_name: profile.display_name,
        organisation: profile.organisation,
      });
      if (!inserted) return { endorsed: true, changed: false };
      await q.incrementCount(trx, recommendation.id, inserted.segment);
      return { endorsed: true, changed: true };
    });
  });
}

/**
 * Signed-in people, while the consultation is open: withdraws their endorsement. Withdrawing
 * when there is none changes nothing, so the count can never go below the rows it counts.
 * The same form sent again (same key) answers as the first did, even after endorsing since.
 */
export async function withdrawEndorsement(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  recommendationSlug: string,
  ctx: RequestContext,
  form: EndorsementForm = {},
): Promise<EndorseResult> {
  const me = requireSignedIn(viewer);
  await enforceRateLimits(db, rateLimits(me, ctx));
  return db.transaction().execute(async (trx) => {
    const { consultation, recommendation } = await findRecommendation(
      trx,
      null,
      consultationSlug,
      recommendationSlug,
    );
    const write = keyed(me, form, 'endorsement.withdraw', consultation, recommendation);
    return onceForKey(trx, write, async () => {
      requireOpen(consultation, await databaseNow(trx));
      const deleted = await q.deleteEndorsement(trx, recommendation.id, me.id);
      if (!deleted) return { endorsed: false, changed: false };
      // Counted under the segment recorded at endorsement, whatever the profile says now.
      await q.decrementCount(trx, recommendation.id, deleted.segment);
      return { endorsed: false, changed: true };
    });
  });
}

async function namedPage(
  db: Kysely<DB>,
  recommendationId: string,
  cursor: string | null | undefined,
): Promise<NamedEndorsersPage> {
  const rows = await q.listNamedEndorsers(db, recommendationId, {
    after: decodeKeyset(cursor),
    limit: NAMED_ENDORSERS_PAGE_SIZE,
  });
  const page = rows.slice(0, NAMED_ENDORSERS_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    endorsers: page.map((row) => ({
      id: row.id,
      displayName: row.display_name,
      segment: row.segment,
      onBehalfOf: row.on_behalf_of_organisation && row.verified ? row.organisation : null,
      verified: row.verified,
      endorsedAt: row.created_at,
    })),
    nextCursor:
      rows.length > NAMED_ENDORSERS_PAGE_SIZE && last
        ? encodeKeyset({ at: last.keyset_at, id: last.id })
        : null,
  };
}

/**
 * Public: a recommendation's endorsements, counted from the rollup (never from the rows), with
 * the viewer's own endorsement and the first page of named endorsers.
 */
export async function getEndorsementSummary(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  recommendationSlug: string,
) {
  const { consultation, recommendation } = await findRecommendation(
    db,
    viewer,
    consultationSlug,
    recommendationSlug,
  );
  const bySegment: Record<Segment, number> = { founder: 0, investor: 0, other: 0 };
  for (const row of await q.listCounts(db, recommendation.id)) bySegment[row.segment] = row.count;
  const mine = viewer ? await q.findEndorsement(db, recommendation.id, viewer.id) : undefined;
  return {
    total: bySegment.founder + bySegment.investor + bySegment.other,
    bySegment,
    viewerEndorsement: mine
      ? {
          onBehalfOfOrganisation: mine.on_behalf_of_organisation,
          showName: mine.show_name,
          endorsedAt: mine.created_at,
        }
      : null,
    canEndorse: phaseOf(consultation) === 'open',
    named: await namedPage(db, recommendation.id, undefined),
  };
}
export type EndorsementSummary = Awaited<ReturnType<typeof getEndorsementSummary>>;

/** Public: a page of the people who endorsed and chose to be named, newest first. */
export async function listNamedEndorsers(
  db: Kysely<DB>,
  consultationSlug: string,
  recommendationSlug: string,
  cursor?: string | null,
): Promise<NamedEndorsersPage> {
  const { recommendation } = await findRecommendation(
    db,
    null,
    consultationSlug,
    recommendationSlug,
  );
  return namedPage(db, recommendation.id, cursor);
}

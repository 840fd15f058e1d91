import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { ModerationItemStatus, ModerationItemType } from '~/lib/enums';
import { QUEUE_STATES, type QueueFilter, type QueueState } from '~/lib/schemas/moderation';
import type { Viewer } from '../auth';
import { canModerate, isStaff, requireSignedIn } from '../auth/permissions';
import { forbidden } from '../errors';
import { decodeKeyset, encodeKeyset } from '../keyset';
import { requireStaff } from './access';
import { itemRefOf } from './items';
import * as q from './queries';

// What waits for a moderator: the queue of one consultation, its overview, and the list of the
// consultations a moderator may open, each with how many items wait.

export const QUEUE_PAGE_SIZE = 25;

export type QueueItem = {
  ref: string;
  type: ModerationItemType;
  state: QueueState;
  status: ModerationItemStatus;
  triggers: string[];
  heldReason: string | null;
  reportCount: number;
  segment: string | null;
  authorName: string;
  excerpt: string;
  recommendation: { number: number; title: string };
  createdAt: Date;
  /** What a bulk form sends back, so a changed item is skipped rather than overwritten. */
  seen: string;
  isOwn: boolean;
};

/** Every state with its count, zero for the states nothing is in. */
function countsByState(counts: Map<QueueState, number>) {
  const byState = {} as Record<QueueState, number>;
  for (const state of QUEUE_STATES) byState[state] = counts.get(state) ?? 0;
  return byState;
}

function excerpt(text: string, max = 240) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Moderators and organisers of the consultation: a page of the items waiting for review, with
 * the count in each state under the same filters. Oldest first unless asked otherwise.
 */
export async function getQueue(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  filter: QueueFilter,
  cursor?: string | null,
) {
  const { consultation, isOrganiser } = await requireStaff(db, viewer, slug);
  const { state: _state, order: _order, ...rest } = filter;
  const after = decodeKeyset(cursor, { withCount: true });
  const [rows, counts] = await Promise.all([
    q.listQueue(db, consultation.id, filter, { after, limit: QUEUE_PAGE_SIZE }),
    q.countQueue(db, consultation.id, rest),
  ]);
  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  const commentIds = page.filter((r) => r.item_type === 'comment').map((r) => r.id);
  const reasons = await q.reportReasons(db, commentIds);
  const refs = page.map((r) => itemRefOf(r.item_type, r.id, r.recommendation_ref));
  const seqs = await q.lastSeqs(db, refs);
  const items: QueueItem[] = page.map((r, i) => {
    const ref = refs[i]!;
    const triggers =
      r.item_type === 'quote'
        ? ['pre_moderation']
        : [
            ...(r.held_reason && r.status === 'held' ? [r.held_reason] : []),
            ...(reasons.get(r.id) ?? []),
          ];
    return {
      ref,
      type: r.item_type,
      state: r.state,
      status: r.status,
      triggers,
      heldReason: r.held_reason,
      reportCount: r.report_count,
      segment: r.segment,
      authorName: r.author_name,
      excerpt: excerpt(r.body),
      recommendation: { number: r.recommendation_number, title: r.recommendation_title },
      createdAt: r.created_at,
      seen: `${seqs.get(ref) ?? 0}:${r.status}`,
      isOwn: r.author_id === viewer!.id,
    };
  });
  const last = page[page.length - 1];
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const recommendations = await q.listRecommendations(db, consultation.id);
  return {
    recommendations,
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      mode: consultation.moderation_mode,
    },
    isOrganiser,
    filter,
    items,
    counts: countsByState(counts),
    total,
    nextCursor:
      rows.length > QUEUE_PAGE_SIZE && last
        ? encodeKeyset({ at: last.keyset_at, id: last.id, count: last.position })
        : null,
  };
}

/** Moderators and organisers: the counts per state and the latest decisions, for the overview. */
export async function getOverview(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const { consultation, isOrganiser } = await requireStaff(db, viewer, slug);
  const counts = await q.countQueue(db, consultation.id, { age: 'any' });
  const recent = await q.recentDecisions(db, consultation.id, 10);
  return {
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      mode: consultation.moderation_mode,
      reportThreshold: consultation.report_threshold,
    },
    isOrganiser,
    counts: countsByState(counts),
    total: [...counts.values()].reduce((sum, n) => sum + n, 0),
    recent: recent.map((d) => ({
      id: d.id,
      ref: d.item_key,
      type: d.item_type,
      action: d.action,
      reason: d.reason,
      bulk: d.bulk,
      createdAt: d.created_at,
      decidedBy: d.decided_by_name ?? 'A former moderator',
      recommendationNumber: d.recommendation_number,
    })),
  };
}

/** Signed-in staff: the consultations they may moderate, with how many items wait in each. */
export async function listModeratedConsultations(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const all = await q.listConsultations(db);
  if (!isStaff(me)) {
    throw forbidden('Only moderators and organisers can see the moderation pages.');
  }
  const mine = all.filter((c) => canModerate(me, c.id));
  const waiting = await q.countWaiting(
    db,
    mine.map((c) => c.id),
  );
  return mine.map((c) => ({
    slug: c.slug,
    title: c.title,
    status: c.status,
    mode: c.moderation_mode,
    waiting: waiting.get(c.id) ?? 0,
  }));
}

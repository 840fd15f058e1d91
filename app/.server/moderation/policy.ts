import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type { PolicyInput } from '~/lib/schemas/moderation';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import {
  requireOrganisedConsultation,
  requireOrganiser,
  requireSignedIn,
} from '../auth/permissions';
import type { RequestContext } from '../context';
import { conflict, notFound } from '../errors';
import { renderForField, storedHtml } from '../markdown';
import * as q from './queries';

type Db = Kysely<DB> | Transaction<DB>;

// A consultation's moderation policy: pre- or post-moderation, the report threshold at which a
// comment is hidden, and its house rules.

const NOT_POLICY_ORGANISER =
  'Only organisers of this consultation can change its moderation policy.';

/** For the policy form action, before the form is read: organisers of the consultation only. */
export async function requirePolicyAccess(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  requireSignedIn(viewer);
  await requireOrganisedConsultation(db, viewer, slug, NOT_POLICY_ORGANISER);
}

/** Organisers of the consultation: its moderation policy as the settings form shows it. */
export async function getPolicy(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  requireSignedIn(viewer);
  const c = await q.findPolicy(db, slug);
  if (!c) throw notFound('consultation');
  requireOrganiser(viewer, c.id, NOT_POLICY_ORGANISER);
  return {
    consultation: { slug: c.slug, title: c.title },
    mode: c.moderation_mode,
    reportThreshold: c.report_threshold,
    houseRules: c.house_rules,
    houseRulesHtml: c.house_rules ? storedHtml(c.house_rules_html, c.house_rules) : null,
    version: c.version,
  };
}

const STALE_POLICY =
  'Someone else changed this consultation while you were editing. Your choices are below and have not been saved: check them and save again.';

/**
 * Organisers of the consultation: sets pre- or post-moderation, the report threshold and the
 * house rules, against the version they saw, with an audit event. Switching to
 * pre-moderation affects what is posted from then on; nothing published is taken down.
 */
export async function updatePolicy(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: PolicyInput,
  ctx: RequestContext,
) {
  const me = requireSignedIn(viewer);
  const houseRules = renderForField('house-rules', input.houseRules, 'houseRules');
  return db.transaction().execute(async (trx) => {
    const c = await q.findPolicyForUpdate(trx, slug);
    if (!c) throw notFound('consultation');
    requireOrganiser(viewer, c.id, NOT_POLICY_ORGANISER);
    if (c.version !== input.version) throw conflict(STALE_POLICY);
    const before = {
      mode: c.moderation_mode,
      reportThreshold: c.report_threshold,
      houseRules: c.house_rules,
    };
    const after = {
      mode: input.mode,
      reportThreshold: input.reportThreshold,
      houseRules: input.houseRules,
    };
    if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false };
    await q.updateConsultation(trx, c.id, {
      moderation_mode: input.mode,
      report_threshold: input.reportThreshold,
      house_rules: input.houseRules,
      house_rules_html: houseRules.html,
      house_rules_html_version: houseRules.version,
      version: c.version + 1,
      updated_at: new Date(),
    });
    await recordAudit(trx, {
      actorId: me.id,
      action: 'consultation.moderation_policy_changed',
      targetType: 'consultation',
      targetId: c.id,
      consultationId: c.id,
      before,
      after,
      requestId: ctx.requestId,
    });
    return { changed: true };
  });
}

/** Public: the consultation's house rules as safe HTML, or null when it has none. */
export async function getHouseRules(db: Db, slug: string) {
  const c = await q.findHouseRules(db, slug);
  return c?.house_rules ? storedHtml(c.house_rules_html, c.house_rules) : null;
}

/** For the comment service: whether a new comment on this consultation waits for review. */
export async function isPreModerated(db: Db, consultationId: string) {
  return (await q.findModerationMode(db, consultationId)) === 'pre';
}

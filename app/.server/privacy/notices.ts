import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { resolveNotice, type PrivacyNotice } from '~/lib/privacy';
import type { PrivacyNoticeInput } from '~/lib/schemas/privacy';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import { requireOrganiser } from '../auth/permissions';
import type { RequestContext } from '../context';
import { getEnv } from '../env';
import { DomainError, notFound } from '../errors';
import * as q from './queries';

/** The site's operator and contact, from the environment. */
export function getSiteDetails() {
  const env = getEnv();
  return { operator: env.SITE_OPERATOR, contactEmail: env.CONTACT_EMAIL ?? null };
}

/** Anyone may read it: the notice that applies wherever a consultation has not set its own. */
export function getSiteNotice(): PrivacyNotice {
  return resolveNotice(getSiteDetails());
}

/** Anyone may read it: a consultation's notice, its own parts over the site's defaults. */
export async function getConsultationNotice(db: Kysely<DB>, slug: string) {
  const row = await q.findConsultationNotice(db, slug);
  // A draft is not public, and neither is its notice.
  if (!row || row.status === 'draft') throw notFound('consultation');
  return {
    consultation: { slug: row.slug, title: row.title, runBy: row.run_by, closesAt: row.closes_at },
    notice: resolveNotice(getSiteDetails(), row),
    /** Which parts the consultation set itself, so the page can say which are the defaults. */
    ownParts: {
      controller: row.privacy_controller !== null,
      lawfulBasis: row.privacy_lawful_basis !== null,
      published: row.privacy_published !== null,
      retention: row.privacy_retention_months !== null,
      contact: row.privacy_contact_email !== null,
    },
  };
}

async function organisedNotice(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const row = await q.findConsultationNotice(db, slug);
  if (!row) throw notFound('consultation');
  const me = requireOrganiser(
    viewer,
    row.id,
    'Only organisers of this consultation can change its privacy notice.',
  );
  return { me, row };
}

/** Organisers of this consultation: the notice's own parts, for the edit form. */
export async function getNoticeForEditing(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const { row } = await organisedNotice(db, viewer, slug);
  return {
    controller: row.privacy_controller,
    lawfulBasis: row.privacy_lawful_basis,
    published: row.privacy_published,
    retentionMonths: row.privacy_retention_months,
    contactEmail: row.privacy_contact_email,
    deletionPolicy: row.deletion_policy,
    site: getSiteNotice(),
  };
}

/**
 * Organisers of this consultation: sets the notice's own parts (null: the site default). Once
 * it has opened, people responded on the promise that deleting their account erases their
 * response, so an 'erase' policy cannot be weakened to 'anonymise' any more.
 */
export async function updateConsultationNotice(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: PrivacyNoticeInput,
  ctx: RequestContext,
) {
  const { me, row } = await organisedNotice(db, viewer, slug);
  await db.transaction().execute(async (trx) => {
    const current = await q.lockConsultationNotice(trx, row.id);
    if (
      current.status !== 'draft' &&
      current.deletion_policy === 'erase' &&
      input.deletionPolicy === 'anonymise'
    ) {
      throw new DomainError('invalid', 'Responses were collected on the promise of erasure', {
        fieldErrors: {
          deletionPolicy: [
            'This consultation has opened with responses erased on account deletion, so that cannot change to anonymised',
          ],
        },
      });
    }
    const values = {
      privacy_controller: input.controller,
      privacy_lawful_basis: input.lawfulBasis,
      privacy_published: input.published,
      privacy_retention_months: input.retentionMonths,
      privacy_contact_email: input.contactEmail,
      deletion_policy: input.deletionPolicy,
    };
    const changed = (Object.keys(values) as (keyof typeof values)[]).filter(
      (k) => current[k] !== values[k],
    );
    if (changed.length === 0) return;
    await q.updateConsultationNotice(trx, row.id, values);
    await recordAudit(trx, {
      actorId: me.id,
      action: 'consultation.privacy_notice_changed',
      targetType: 'consultation',
      targetId: row.id,
      consultationId: row.id,
      before: Object.fromEntries(changed.map((k) => [k, current[k]])),
      after: Object.fromEntries(changed.map((k) => [k, values[k]])),
      requestId: ctx.requestId,
    });
  });
}

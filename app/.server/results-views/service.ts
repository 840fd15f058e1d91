import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import { publicResultsState } from '~/lib/results/visibility';
import type { OverviewQuery, ResultsVisibilityInput } from '~/lib/schemas/results';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, notFound } from '../errors';
import { getConsultationResults, getRecommendationResults } from '../results';
import { presentOverview, presentRecommendationResults, type Audience } from './present';
import * as q from './queries';
import { isOrganiser, requireOrganiser } from '../auth/permissions';

type ConsultationRow = NonNullable<Awaited<ReturnType<typeof q.findConsultationBySlug>>>;

function describe(row: ConsultationRow, now: Date) {
  const state = publicResultsState(row, now);
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    phase: phaseOf(row, now),
    closesAt: row.closes_at,
    resultsVisibility: row.results_visibility,
    /** Null while the results are public; otherwise when and why they are not. */
    notPublicYet: state.public ? null : state.message,
  };
}

async function findVisible(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const row = await q.findConsultationBySlug(db, slug);
  // A draft does not exist for anyone who cannot organise it.
  if (!row || (row.status === 'draft' && !isOrganiser(viewer, row.id))) {
    throw notFound('consultation');
  }
  return row;
}

/**
 * The public may read results only once the organiser's setting allows (403 with when, before);
 * an organiser of the consultation may read the public pages earlier, as a preview.
 */
async function publicAccess(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const row = await findVisible(db, viewer, slug);
  const consultation = describe(row, new Date());
  const organiser = isOrganiser(viewer, row.id);
  if (consultation.notPublicYet && !organiser) {
    throw new DomainError('forbidden', consultation.notPublicYet);
  }
  return { row, consultation, organiser };
}

async function organiserAccess(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const row = await q.findConsultationBySlug(db, slug);
  if (!row) throw notFound('consultation');
  requireOrganiser(
    viewer,
    row.id,
    'Only organisers of this consultation can see its results dashboard.',
  );
  return { row, consultation: describe(row, new Date()) };
}

async function overview(
  db: Kysely<DB>,
  consultationId: string,
  query: OverviewQuery,
  audience: Audience,
) {
  const view = await getConsultationResults(db, consultationId, {
    verifiedOnly: query.verifiedOnly,
  });
  // The verified-only view of a public page also needs the unfiltered counts, so that nothing
  // it shows can be subtracted from the unfiltered page to reveal a few unverified people.
  const unfiltered =
    query.verifiedOnly && audience === 'public'
      ? await getConsultationResults(db, consultationId, { verifiedOnly: false })
      : null;
  return presentOverview(view, unfiltered, audience, query);
}

/**
 * Anyone: whether the results pages can be read now (organisers: always, as a preview), and if
 * not, when they can; for the links to them. Unknown or invisible consultations: 404.
 */
export async function getResultsAvailability(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const row = await findVisible(db, viewer, slug);
  const consultation = describe(row, new Date());
  return {
    readable: !consultation.notPublicYet || isOrganiser(viewer, row.id),
    notPublicYet: consultation.notPublicYet,
  };
}

/** Anyone, once the results are public (organisers: any time): every recommendation's figures. */
export async function getPublicResultsOverview(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  query: OverviewQuery,
) {
  const { row, consultation, organiser } = await publicAccess(db, viewer, slug);
  return {
    consultation,
    canOrganise: organiser,
    query,
    results: await overview(db, row.id, query, 'public'),
  };
}

/** Organisers of the consultation only: the same overview without suppression. */
export async function getOrganiserResultsOverview(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  query: OverviewQuery,
) {
  const { row, consultation } = await organiserAccess(db, viewer, slug);
  return { consultation, query, results: await overview(db, row.id, query, 'organiser') };
}

async function recommendationPage(
  db: Kysely<DB>,
  row: ConsultationRow,
  recommendationSlug: string,
  verifiedOnly: boolean,
  audience: Audience,
) {
  const all = await q.listRecommendations(db, row.id);
  const index = all.findIndex((r) => r.slug === recommendationSlug);
  const recommendation = all[index];
  if (!recommendation) throw notFound('recommendation');
  const view = await getRecommendationResults(db, recommendation.id, { verifiedOnly, audience });
  const unfiltered =
    verifiedOnly && audience === 'public'
      ? await getRecommendationResults(db, recommendation.id, {
          verifiedOnly: false,
          audience,
        })
      : null;
  const link = (r: (typeof all)[number] | undefined) =>
    r ? { number: r.number, slug: r.slug, title: r.title } : null;
  return {
    recommendation: {
      number: recommendation.number,
      slug: recommendation.slug,
      title: recommendation.title,
    },
    total: all.length,
    previous: link(all[index - 1]),
    next: link(all[index + 1]),
    verifiedOnly,
    results: presentRecommendationResults(view, unfiltered, audience),
  };
}

/** Anyone, once the results are public (organisers: any time): one recommendation in depth. */
export async function getPublicRecommendationResults(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  recommendationSlug: string,
  query: { verifiedOnly: boolean },
) {
  const { row, consultation, organiser } = await publicAccess(db, viewer, slug);
  return {
    consultation,
    canOrganise: organiser,
    ...(await recommendationPage(db, row, recommendationSlug, query.verifiedOnly, 'public')),
  };
}

/** Organisers of the consultation only: one recommendation with its non-public detail. */
export async function getOrganiserRecommendationResults(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  recommendationSlug: string,
  query: { verifiedOnly: boolean },
) {
  const { row, consultation } = await organiserAccess(db, viewer, slug);
  return {
    consultation,
    ...(await recommendationPage(db, row, recommendationSlug, query.verifiedOnly, 'organiser')),
  };
}

/**
 * Organisers of the consultation only: when the public may read the results. Audited in the
 * same transaction; the row lock makes two organisers saving at once apply one after the
 * other, each audited with the value it replaced. Saving the current value changes nothing.
 */
export async function setResultsVisibility(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: ResultsVisibilityInput,
  ctx: RequestContext,
) {
  const { row } = await organiserAccess(db, viewer, slug);
  return db.transaction().execute(async (trx) => {
    const current = await q.lockConsultation(trx, row.id);
    if (!current) throw notFound('consultation');
    if (current.results_visibility === input.resultsVisibility) return { changed: false };
    await q.updateResultsVisibility(trx, row.id, input.resultsVisibility);
    await recordAudit(trx, {
      actorId: viewer!.id,
      action: 'consultation.results_visibility_changed',
      targetType: 'consultation',
      targetId: row.id,
      consultationId: row.id,
      before: { resultsVisibility: current.results_visibility },
      after: { resultsVisibility: input.resultsVisibility },
      requestId: ctx.requestId,
    });
    return { changed: true };
  });
}

/**
 * Anyone, once the results are public (organisers: any time): the raw counts behind the public
 * pages, unfiltered and verified only, for the open data to present with the pages' own rules.
 */
export async function getPublicResultsCounts(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const { row, consultation } = await publicAccess(db, viewer, slug);
  const all = await getConsultationResults(db, row.id, { verifiedOnly: false });
  const verified = await getConsultationResults(db, row.id, { verifiedOnly: true });
  return { consultation, all, verified };
}

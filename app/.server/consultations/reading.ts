import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { type Viewer } from '../auth';
import { isOrganiser, isSiteOrganiser } from '../auth/permissions';
import { notFound } from '../errors';
import type { SummaryDates } from '~/lib/lifecycle';
import { storedHtml } from '../markdown';
import { isLocked, loadOrganised, loadVisible, presentConsultation } from './consultation-view';
import * as q from './queries';

/** Public: every consultation that is not a draft; organisers also see drafts. */
export async function listConsultations(db: Kysely<DB>, viewer: Viewer | null) {
  const rows = await q.listConsultations(db, { includeDrafts: isSiteOrganiser(viewer) });
  return rows.map((row) => ({
    ...presentConsultation(row),
    recommendationCount: row.recommendation_count ?? 0,
    publishedSummary: summaryDates(
      row.summary_published_at,
      row.summary_latest_at,
      row.summary_versions,
    ),
  }));
}

/** A published summary's dates for the lifecycle shown on public pages; null before one. */
function summaryDates(
  publishedAt: Date | string | null,
  latestAt: Date | string | null,
  versions: number | null,
): SummaryDates | null {
  if (!publishedAt || !latestAt || !versions) return null;
  return { publishedAt: new Date(publishedAt), latestAt: new Date(latestAt), versions };
}

/** Public: a consultation with its rendered description, recommendations and summary dates. */
export async function getConsultation(db: Kysely<DB>, slug: string, viewer: Viewer | null) {
  const row = await loadVisible(db, slug, viewer);
  const [recommendations, dates] = await Promise.all([
    q.listRecommendations(db, row.id),
    q.findSummaryDates(db, row.id),
  ]);
  return {
    consultation: {
      ...presentConsultation(row),
      bodyHtml: storedHtml(row.body_html, row.body),
      publishedSummary: summaryDates(dates.published_at, dates.latest_at, dates.versions),
    },
    recommendations: recommendations.map((r) => ({
      id: r.id,
      number: r.number,
      slug: r.slug,
      title: r.title,
      summary: r.summary,
      state: r.state,
    })),
    canOrganise: isOrganiser(viewer, row.id),
  };
}

/** Public: one recommendation with its rendered rationale and its neighbours for navigation. */
export async function getRecommendation(
  db: Kysely<DB>,
  slug: string,
  recommendationSlug: string,
  viewer: Viewer | null,
) {
  const row = await loadVisible(db, slug, viewer);
  const [all, dates] = await Promise.all([
    q.listRecommendations(db, row.id),
    q.findSummaryDates(db, row.id),
  ]);
  const index = all.findIndex((r) => r.slug === recommendationSlug);
  const recommendation = all[index];
  if (!recommendation) throw notFound('recommendation');
  const link = (r: (typeof all)[number] | undefined) =>
    r ? { number: r.number, slug: r.slug, title: r.title } : null;
  return {
    consultation: {
      ...presentConsultation(row),
      publishedSummary: summaryDates(dates.published_at, dates.latest_at, dates.versions),
    },
    recommendation: {
      id: recommendation.id,
      number: recommendation.number,
      slug: recommendation.slug,
      title: recommendation.title,
      summary: recommendation.summary,
      rationaleHtml: storedHtml(
        await q.findRationaleHtml(db, recommendation.id),
        recommendation.rationale,
      ),
      updatedAt: recommendation.updated_at,
      state: recommendation.state,
    },
    changes: (await q.listRecommendationChanges(db, recommendation.id)).map((c) => ({
      id: c.id,
      kind: c.kind,
      oldTitle: c.old_title,
      newTitle: c.new_title,
      oldNumber: c.old_number,
      newNumber: c.new_number,
      at: c.created_at,
    })),
    total: all.length,
    previous: link(all[index - 1]),
    next: link(all[index + 1]),
    canOrganise: isOrganiser(viewer, row.id),
  };
}

/** Organisers only: everything needed to edit a consultation, with raw markdown. */
export async function getConsultationForEditing(
  db: Kysely<DB>,
  slug: string,
  viewer: Viewer | null,
) {
  const row = await loadOrganised(db, slug, viewer);
  const recommendations = await q.listRecommendations(db, row.id);
  return {
    consultation: { ...presentConsultation(row), body: row.body },
    recommendations,
    locked: isLocked(row),
    receivedResponses: await q.countReceivedResponses(db, row.id),
  };
}

/** Organisers only: one recommendation with raw markdown, for its edit form. */
export async function getRecommendationForEditing(
  db: Kysely<DB>,
  slug: string,
  recommendationSlug: string,
  viewer: Viewer | null,
) {
  const row = await loadOrganised(db, slug, viewer);
  const recommendation = await q.findRecommendationBySlug(db, row.id, recommendationSlug);
  if (!recommendation) throw notFound('recommendation');
  return {
    consultation: presentConsultation(row),
    recommendation,
    locked: isLocked(row),
    receivedResponses: await q.countReceivedResponses(db, row.id),
  };
}

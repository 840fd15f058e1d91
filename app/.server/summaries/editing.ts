import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { type Viewer } from '../auth';
import { notFound } from '../errors';
import { getSummaryDraft } from './drafting';
import { listOutcomeUpdates } from './outcomes';

/**
 * Organisers of this consultation: one recommendation's part of the draft with everything its
 * editor shows (results, figures and quotes to choose from), its neighbours, and, once the
 * summary is published, its outcome and the dated updates since. 404 for an unknown one.
 */
export async function getSummaryDraftPart(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  recommendationSlug: string,
) {
  const draft = await getSummaryDraft(db, viewer, slug);
  const index = draft.recommendations.findIndex((r) => r.slug === recommendationSlug);
  if (index < 0) throw notFound('recommendation');
  const recommendation = draft.recommendations[index]!;
  const neighbour = (i: number) => {
    const r = draft.recommendations[i];
    return r ? { number: r.number, slug: r.slug, title: r.title } : null;
  };
  const prefix = `recommendations.${recommendation.number}.`;
  return {
    consultation: draft.consultation,
    version: draft.version,
    savedByViewer: draft.savedByViewer,
    published: draft.published,
    recommendation,
    missing: Object.entries(draft.missing)
      .filter(([field]) => field.startsWith(prefix))
      .map(([field, messages]) => ({ field: field.slice(prefix.length), message: messages[0]! })),
    previous: neighbour(index - 1),
    next: neighbour(index + 1),
    outcomes: draft.published ? await listOutcomeUpdates(db, slug, recommendationSlug) : null,
  };
}

import { STANCES } from '~/lib/enums';
import type { ConsultationResults } from '../results';
import { presentGroups, presentTrend } from '../results-views';
import type { Row } from '../exports';

// Net support over time, as the recommendation pages chart it: one row per step of days, with
// the stances counted up to its last day, so each point can be worked out again. Steps are the
// pages' own (the public never sees a step of 1–4 answers).

export function trendRows(all: ConsultationResults, verified: ConsultationResults): Row[] {
  const verifiedById = new Map(verified.recommendations.map((r) => [r.id, r]));
  return all.recommendations.flatMap((recommendation) =>
    [false, true].flatMap((verifiedOnly) => {
      const view = verifiedOnly ? verifiedById.get(recommendation.id)! : recommendation;
      const unfiltered = verifiedOnly ? recommendation : null;
      const everyone = presentGroups(view.counts, unfiltered?.counts ?? null, 'public')[0]!;
      const points = presentTrend(view.daily, unfiltered?.daily ?? null, 'public', everyone.hidden);
      return points.map((point) => ({
        recommendation_number: recommendation.number,
        recommendation_slug: recommendation.slug,
        verified_only: verifiedOnly,
        day: point.day,
        answers_added: point.added,
        answers: point.answers,
        ...Object.fromEntries(STANCES.map((s) => [s, point.stance[s]])),
        net_support: point.net?.value ?? null,
        net_support_low: point.net?.low ?? null,
        net_support_high: point.net?.high ?? null,
      }));
    }),
  );
}

import type { Segment } from '#db/schema';
import { STANCES } from '~/lib/enums';
import { IMPORTANCE_VALUES } from '~/lib/open-data/files';
import type { GroupResult, ToneSummary } from '~/lib/results/view';
import type { ConsultationResults } from '../results';
import { presentGroups } from '../results-views';
import type { Row } from '../exports';
import type { importanceCounts } from './queries';

// One row per recommendation × group × view (everyone, verified only): the cells the public
// results pages show, presented by the pages' own code, so a suppressed group is blank here too.

type ImportanceRow = Awaited<ReturnType<typeof importanceCounts>>[number];
type Distribution = Record<number, number>;

function distributions(rows: ImportanceRow[], verifiedOnly: boolean) {
  const byKey = new Map<string, Distribution>();
  const add = (key: string, value: number, n: number) => {
    let d = byKey.get(key);
    if (!d) byKey.set(key, (d = Object.fromEntries(IMPORTANCE_VALUES.map((v) => [v, 0]))));
    d[value] = (d[value] ?? 0) + n;
  };
  for (const row of rows) {
    if (verifiedOnly && !row.verified) continue;
    add(`${row.recommendation_id}:${row.segment}`, row.importance!, row.answers);
    add(`${row.recommendation_id}:all`, row.importance!, row.answers);
  }
  return (recommendationId: string, group: 'all' | Segment) =>
    byKey.get(`${recommendationId}:${group}`) ?? {};
}

function toneCells(prefix: string, tone: ToneSummary | null): Row {
  return {
    [`${prefix}_texts`]: tone?.n ?? null,
    [`${prefix}_negative`]: tone?.negative ?? null,
    [`${prefix}_neutral`]: tone?.neutral ?? null,
    [`${prefix}_positive`]: tone?.positive ?? null,
    [`${prefix}_mean`]: tone && tone.n > 0 ? tone.mean : null,
  };
}

function cells(result: GroupResult, importance: Distribution): Row {
  const shown = !result.hidden;
  const row: Row = { suppressed: result.hidden, answers: result.answers };
  for (const stance of STANCES) row[stance] = shown ? result.stance![stance] : null;
  for (const v of IMPORTANCE_VALUES) row[`importance_${v}`] = shown ? (importance[v] ?? 0) : null;
  Object.assign(row, {
    importance_answers: shown ? (result.importance?.n ?? 0) : null,
    importance_mean: result.importance?.mean ?? null,
    importance_sd: result.importance?.sd ?? null,
    support_share: result.support?.value ?? null,
    support_low: result.support?.low ?? null,
    support_high: result.support?.high ?? null,
    oppose_share: result.oppose?.value ?? null,
    oppose_low: result.oppose?.low ?? null,
    oppose_high: result.oppose?.high ?? null,
    net_support: result.net?.value ?? null,
    net_support_low: result.net?.low ?? null,
    net_support_high: result.net?.high ?? null,
    ...toneCells('reasons_tone', result.tone),
    ...toneCells('comment_tone', result.commentTone),
    endorsements: result.endorsements,
    comments: result.comments,
  });
  return row;
}

/** The aggregate rows, recommendation by recommendation, everyone before verified only. */
export function aggregateRows(
  all: ConsultationResults,
  verified: ConsultationResults,
  importance: ImportanceRow[],
): Row[] {
  const verifiedById = new Map(verified.recommendations.map((r) => [r.id, r]));
  const views = [
    { verifiedOnly: false, importance: distributions(importance, false) },
    { verifiedOnly: true, importance: distributions(importance, true) },
  ];
  return all.recommendations.flatMap((recommendation) =>
    views.flatMap(({ verifiedOnly, importance: of }) => {
      const counts = verifiedOnly
        ? verifiedById.get(recommendation.id)!.counts
        : recommendation.counts;
      const groups = presentGroups(counts, verifiedOnly ? recommendation.counts : null, 'public');
      return groups.map((result) => ({
        recommendation_number: recommendation.number,
        recommendation_slug: recommendation.slug,
        recommendation_title: recommendation.title,
        group: result.group,
        verified_only: verifiedOnly,
        ...cells(result, of(recommendation.id, result.group)),
      }));
    }),
  );
}

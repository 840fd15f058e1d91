import type { Segment } from '#db/schema';
import { SEGMENTS } from '~/lib/enums';
import {
  consensusOf,
  consensusComparison,
  consensusSentence,
  CONSENSUS_LABELS,
  type GroupView,
} from '~/lib/results/consensus';
import { meanAndSpread, netSupport, opposeShare, supportShare } from '~/lib/results/statistics';
import { suppressSmallCells } from '~/lib/results/suppression';
import { cumulativeTrend } from '~/lib/results/trend';
import {
  GROUP_LABELS,
  GROUPS,
  type ConsensusView,
  type Group,
  type GroupResult,
  type OrganiserView,
  type OverviewRow,
  type QuoteView,
  type RecommendationResultsView,
  type ThemeGroup,
  type ToneSummary,
} from '~/lib/results/view';
import type { ResultSort, SortDirection } from '~/lib/schemas/results';
import { STANCE_LABELS } from '~/lib/schemas/responses';
import type {
  BySegment,
  ConsultationResults,
  DailyPoint,
  ExampleQuote,
  RecommendationResults,
  SegmentCounts,
  ToneTotals,
} from '../results/types';

// From the raw counts of the results service to what a page shows: statistics computed, and in
// public views small groups suppressed. Pure, so every rule is unit-tested without a database.

export type Audience = 'public' | 'organiser';

const ONE_OF: Record<Segment, string> = {
  founder: 'A founder',
  investor: 'An investor',
  other: 'A respondent (other)',
};
const ROLE: Record<Segment, string> = { founder: 'founder', investor: 'investor', other: 'other' };

function tone(totals: ToneTotals): ToneSummary {
  return {
    n: totals.n,
    negative: totals.negative,
    neutral: totals.neutral,
    positive: totals.positive,
    mean: totals.n > 0 ? totals.sum / totals.n : 0,
  };
}

/**
 * The groups a public view must hide. In the verified-only view the unfiltered counts are the
 * complement's source: a group whose unverified remainder is small is hidden too.
 */
function suppression(
  view: BySegment<SegmentCounts>,
  unfiltered: BySegment<SegmentCounts> | null,
  audience: Audience,
) {
  if (audience === 'organiser') return { hidden: new Set<Segment>(), totalHidden: false };
  return suppressSmallCells(
    SEGMENTS.map((segment) => ({
      key: segment,
      n: view[segment].answers,
      complement: unfiltered ? unfiltered[segment].answers - view[segment].answers : 0,
    })),
  );
}

function groupResult(group: Group, counts: SegmentCounts, hidden: boolean): GroupResult {
  const importance = meanAndSpread({
    n: counts.importance.n,
    sum: counts.importance.sum,
    sumSquares: counts.importance.sumOfSquares,
  });
  const base = {
    group,
    label: GROUP_LABELS[group],
    endorsements: counts.endorsements,
    comments: counts.comments,
  };
  if (hidden) {
    return {
      ...base,
      hidden: true,
      answers: null,
      stance: null,
      net: null,
      support: null,
      oppose: null,
      importance: null,
      tone: null,
      commentTone: null,
    };
  }
  return {
    ...base,
    hidden: false,
    answers: counts.answers,
    stance: counts.stance,
    net: netSupport(counts.stance),
    support: supportShare(counts.stance),
    oppose: opposeShare(counts.stance),
    importance,
    tone: tone(counts.tone),
    commentTone: tone(counts.commentTone),
  };
}

function consensus(counts: BySegment<SegmentCounts>, hidden: Set<Segment>): ConsensusView {
  const view = (segment: 'founder' | 'investor', label: string): GroupView => ({
    label,
    counts: counts[segment].stance,
    hidden: hidden.has(segment),
  });
  const founders = view('founder', 'founders');
  const investors = view('investor', 'investors');
  const kind = consensusOf(founders, investors);
  return {
    kind,
    label: CONSENSUS_LABELS[kind],
    sentence: consensusSentence(founders, investors),
    comparison: consensusComparison(founders, investors),
  };
}

function attribution(quote: ExampleQuote, segmentHidden: boolean) {
  const verified = quote.verified ? ', verified' : '';
  if (quote.attribution.kind === 'named') {
    const org = quote.attribution.organisation ? `, ${quote.attribution.organisation}` : '';
    const role = segmentHidden ? '' : ` (${ROLE[quote.segment]}${verified})`;
    return `${quote.attribution.displayName}${org}${role}`;
  }
  // An anonymous quote from a group too small to show must not say which group it came from.
  return segmentHidden ? 'A respondent' : `${ONE_OF[quote.segment]}${verified}`;
}

function quoteView(quote: ExampleQuote, hidden: Set<Segment>): QuoteView {
  return {
    id: quote.id,
    text: quote.text,
    stanceLabel: quote.stance ? STANCE_LABELS[quote.stance] : null,
    attribution: attribution(quote, hidden.has(quote.segment)),
  };
}

/**
 * Net support as it stood after each step of days, as the recommendation page charts it: none
 * when the total is hidden, and for the public no step of 1–4 answers (see trend.ts).
 */
export function presentTrend(
  daily: DailyPoint[],
  unfiltered: DailyPoint[] | null,
  audience: Audience,
  totalHidden: boolean,
) {
  if (totalHidden) return [];
  return cumulativeTrend(daily, {
    protectSmallSteps: audience === 'public',
    complement: unfiltered ?? undefined,
  });
}

/**
 * Each group's figures on one recommendation as its results page shows them, small groups
 * suppressed for the public; the open data's aggregates are these same cells.
 */
export function presentGroups(
  counts: BySegment<SegmentCounts>,
  unfiltered: BySegment<SegmentCounts> | null,
  audience: Audience,
): GroupResult[] {
  const { hidden, totalHidden } = suppression(counts, unfiltered, audience);
  return GROUPS.map((group) =>
    groupResult(group, counts[group], group === 'all' ? totalHidden : hidden.has(group)),
  );
}

/** One recommendation's results for a page; `unfiltered` is given in the verified-only view. */
export function presentRecommendationResults(
  view: RecommendationResults,
  unfiltered: RecommendationResults | null,
  audience: Audience,
): RecommendationResultsView {
  const { hidden, totalHidden } = suppression(view.counts, unfiltered?.counts ?? null, audience);
  const isHidden = (group: Group) => (group === 'all' ? totalHidden : hidden.has(group));
  const groups = presentGroups(view.counts, unfiltered?.counts ?? null, audience);
  const themes: ThemeGroup[] = GROUPS.map((group) => ({
    group,
    label: GROUP_LABELS[group],
    themes: isHidden(group)
      ? null
      : view.themes[group].map((theme) => ({
          phrase: theme.phrase,
          count: theme.count,
          quotes: theme.quotes.map((q) => quoteView(q, hidden)),
        })),
  }));
  return {
    groups,
    consensus: consensus(view.counts, hidden),
    trend: presentTrend(view.daily.all, unfiltered?.daily.all ?? null, audience, totalHidden),
    themes,
    organiser: audience === 'organiser' && view.organiser ? organiserView(view) : null,
  };
}

function organiserView(view: RecommendationResults): OrganiserView {
  const detail = view.organiser!;
  return {
    disagreements: detail.disagreements,
    unpublished: detail.unpublished,
    heldComments: detail.comments,
    disagreementExamples: detail.disagreementExamples.map((example) => ({
      id: example.id,
      stanceLabel: STANCE_LABELS[example.stance],
      tone: example.tone,
      text: example.text,
      groupLabel: GROUP_LABELS[example.segment],
      reference: example.reference,
    })),
  };
}

export type ResponseTotals = { group: Group; label: string; responses: number | null }[];

export type OverviewView = {
  responses: ResponseTotals;
  rows: OverviewRow[];
};

/** Every recommendation's headline figures, sorted as asked; `unfiltered` as above. */
export function presentOverview(
  view: ConsultationResults,
  unfiltered: ConsultationResults | null,
  audience: Audience,
  order: { sort: ResultSort; dir: SortDirection },
): OverviewView {
  const responseCells = suppressSmallCells(
    SEGMENTS.map((segment) => ({
      key: segment,
      n: view.responses[segment],
      complement: unfiltered ? unfiltered.responses[segment] - view.responses[segment] : 0,
    })),
  );
  const responsesHidden = (group: Group) =>
    audience === 'public' &&
    (group === 'all' ? responseCells.totalHidden : responseCells.hidden.has(group));
  const responses = GROUPS.map((group) => ({
    group,
    label: GROUP_LABELS[group],
    responses: responsesHidden(group) ? null : view.responses[group],
  }));

  const unfilteredById = new Map(unfiltered?.recommendations.map((r) => [r.id, r]) ?? []);
  const rows = view.recommendations.map((recommendation): OverviewRow => {
    const other = unfilteredById.get(recommendation.id);
    const { hidden, totalHidden } = suppression(
      recommendation.counts,
      other?.counts ?? null,
      audience,
    );
    const all = groupResult('all', recommendation.counts.all, totalHidden);
    return {
      number: recommendation.number,
      slug: recommendation.slug,
      title: recommendation.title,
      answers: all.answers,
      net: all.net,
      netMissing: totalHidden
        ? 'Fewer than 5 answers: not shown'
        : all.net
          ? null
          : 'No answers with a view yet',
      importance: all.importance,
      endorsements: recommendation.counts.all.endorsements,
      comments: recommendation.counts.all.comments,
      consensus: consensus(recommendation.counts, hidden),
    };
  });
  return { responses, rows: sortRows(rows, order) };
}

const SORT_VALUE: Record<ResultSort, (row: OverviewRow) => number | null> = {
  number: (row) => row.number,
  'net-support': (row) => row.net?.value ?? null,
  importance: (row) => row.importance?.mean ?? null,
  endorsements: (row) => row.endorsements,
  answers: (row) => row.answers,
};

/** Rows without a value (nothing to show) go last either way; ties keep the report's order. */
export function sortRows(rows: OverviewRow[], order: { sort: ResultSort; dir: SortDirection }) {
  const value = SORT_VALUE[order.sort];
  const sign = order.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) {
      if (va === vb) return a.number - b.number;
      return va === null ? 1 : -1;
    }
    return (va - vb) * sign || a.number - b.number;
  });
}

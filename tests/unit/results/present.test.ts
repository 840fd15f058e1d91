import { expect, test } from 'vitest';
import { presentRecommendationResults, sortRows } from '~/.server/results-views';
import type {
  BySegment,
  ExampleQuote,
  RecommendationResults,
  SegmentCounts,
} from '~/.server/results';
import { emptyStanceCounts, type StanceCounts } from '~/lib/results/statistics';
import type { OverviewRow } from '~/lib/results/view';

function segment(stance: Partial<StanceCounts>): SegmentCounts {
  const counts = { ...emptyStanceCounts(), ...stance };
  const answers = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    answers,
    noStance: 0,
    stance: counts,
    importance: { n: answers, sum: answers * 4, sumOfSquares: answers * 16 },
    tone: { n: 0, sum: 0, negative: 0, neutral: 0, positive: 0 },
    endorsements: 2,
    comments: 1,
    commentTone: { n: 0, sum: 0, negative: 0, neutral: 0, positive: 0 },
  };
}

function bySegment(founder: SegmentCounts, investor: SegmentCounts, other: SegmentCounts) {
  const all = segment({});
  for (const part of [founder, investor, other]) {
    all.answers += part.answers;
    for (const key of Object.keys(all.stance) as (keyof StanceCounts)[]) {
      all.stance[key] += part.stance[key];
    }
    all.importance.n += part.importance.n;
    all.importance.sum += part.importance.sum;
    all.importance.sumOfSquares += part.importance.sumOfSquares;
  }
  return { all, founder, investor, other } satisfies BySegment<SegmentCounts>;
}

const quote = (over: Partial<ExampleQuote>): ExampleQuote => ({
  id: 'q1',
  text: 'Costly and slow.',
  stance: 'oppose',
  segment: 'other',
  verified: false,
  attribution: { kind: 'anonymous' },
  ...over,
});

function results(counts: BySegment<SegmentCounts>, quotes: ExampleQuote[]): RecommendationResults {
  const themes = [{ phrase: 'costly', count: 2, score: 1, quotes }];
  return {
    consultation: { id: 'c', slug: 'c', title: 'C' },
    recommendation: { id: 'r', number: 1, slug: 'r', title: 'R' },
    filter: { verifiedOnly: false },
    audience: 'public',
    counts,
    daily: { all: [], founder: [], investor: [], other: [] },
    themes: { all: themes, founder: [], investor: [], other: themes },
    organiser: null,
  };
}

test('an anonymous quote from a hidden group does not say which group it came from', () => {
  const counts = bySegment(
    segment({ support: 20 }),
    segment({ oppose: 12 }),
    segment({ oppose: 2 }),
  );
  const view = presentRecommendationResults(
    results(counts, [
      quote({}),
      quote({
        id: 'q2',
        attribution: { kind: 'named', displayName: 'Ada Lovelace', organisation: 'Analytical Ltd' },
      }),
    ]),
    null,
    'public',
  );
  const everyone = view.themes.find((t) => t.group === 'all')!.themes![0]!;
  expect(everyone.quotes.map((q) => q.attribution)).toEqual([
    'A respondent',
    'Ada Lovelace, Analytical Ltd',
  ]);
  expect(view.themes.find((t) => t.group === 'other')!.themes).toBeNull();
  // The organiser's view of the same quotes says who and which group.
  const organiser = presentRecommendationResults(
    results(counts, [quote({ verified: true })]),
    null,
    'organiser',
  );
  expect(organiser.themes[0]!.themes![0]!.quotes[0]!.attribution).toBe(
    'A respondent (other), verified',
  );
  expect(organiser.themes.find((t) => t.group === 'other')!.themes).not.toBeNull();
});

test('quotes from groups that are shown name the group and whether the person is verified', () => {
  const counts = bySegment(
    segment({ support: 20 }),
    segment({ oppose: 12 }),
    segment({ oppose: 9 }),
  );
  const view = presentRecommendationResults(
    results(counts, [
      quote({ segment: 'investor', verified: true }),
      quote({
        id: 'q2',
        segment: 'founder',
        attribution: { kind: 'named', displayName: 'Sam', organisation: null },
      }),
    ]),
    null,
    'public',
  );
  expect(view.themes[0]!.themes![0]!.quotes.map((q) => [q.attribution, q.stanceLabel])).toEqual([
    ['An investor, verified', 'Oppose'],
    ['Sam (founder)', 'Oppose'],
  ]);
});

const row = (number: number, net: number | null, endorsements = 0): OverviewRow => ({
  number,
  slug: `r${number}`,
  title: `R${number}`,
  answers: net === null ? null : 10,
  net: net === null ? null : { value: net, low: net - 0.1, high: net + 0.1, n: 10 },
  netMissing: net === null ? 'Fewer than 5 answers: not shown' : null,
  importance: null,
  endorsements,
  comments: 0,
  consensus: { kind: 'too_few', label: '', sentence: '', comparison: '' },
});

test('sorting puts rows without figures last in either direction and breaks ties by number', () => {
  const rows = [row(1, 0.2), row(2, null), row(3, 0.5), row(4, 0.2)];
  expect(sortRows(rows, { sort: 'net-support', dir: 'desc' }).map((r) => r.number)).toEqual([
    3, 1, 4, 2,
  ]);
  expect(sortRows(rows, { sort: 'net-support', dir: 'asc' }).map((r) => r.number)).toEqual([
    1, 4, 3, 2,
  ]);
  expect(sortRows(rows, { sort: 'number', dir: 'desc' }).map((r) => r.number)).toEqual([
    4, 3, 2, 1,
  ]);
  expect(
    sortRows([row(1, 0, 3), row(2, 0, 9)], { sort: 'endorsements', dir: 'desc' }).map(
      (r) => r.number,
    ),
  ).toEqual([2, 1]);
});

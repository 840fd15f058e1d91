import { expect, test } from 'vitest';
import { parseOverviewQuery, parseRecommendationQuery } from '~/lib/schemas/results';
import { publicResultsState } from '~/lib/results/visibility';

const q = (text: string) => new URLSearchParams(text);

test('the overview reads its sort, direction and filter, with sensible defaults', () => {
  expect(parseOverviewQuery(q(''))).toEqual({
    ok: true,
    data: { sort: 'number', dir: 'asc', verifiedOnly: false },
  });
  expect(parseOverviewQuery(q('sort=net-support&verified=1'))).toEqual({
    ok: true,
    data: { sort: 'net-support', dir: 'desc', verifiedOnly: true },
  });
  expect(parseOverviewQuery(q('sort=importance&dir=asc'))).toMatchObject({
    data: { sort: 'importance', dir: 'asc' },
  });
});

test('malformed query strings are refused with the options that work', () => {
  const bad = parseOverviewQuery(q('sort=popularity'));
  expect(bad).toMatchObject({ ok: false, message: 'The value of “sort” is not one we know.' });
  expect(!bad.ok && bad.options.map((o) => o.name)).toEqual(['sort', 'dir', 'verified']);
  expect(parseOverviewQuery(q('colour=red'))).toMatchObject({
    ok: false,
    message: 'This page has no option called “colour”.',
  });
  expect(parseOverviewQuery(q('sort=answers&sort=number'))).toMatchObject({
    ok: false,
    message: '“sort” was given more than once.',
  });
  expect(parseRecommendationQuery(q('verified=yes'))).toMatchObject({ ok: false });
  expect(parseRecommendationQuery(q('sort=number'))).toMatchObject({ ok: false });
  expect(parseRecommendationQuery(q('verified=1'))).toEqual({
    ok: true,
    data: { verifiedOnly: true },
  });
});

const DAY = 86_400_000;
const now = new Date('2026-12-01T12:00:00Z');
const open = {
  status: 'open' as const,
  opens_at: new Date(now.getTime() - 10 * DAY),
  closes_at: new Date('2027-01-26T17:00:00Z'),
};

test('results are public after close by default, or while open if the organiser chooses', () => {
  expect(publicResultsState({ ...open, results_visibility: 'after_close' }, now)).toEqual({
    public: false,
    from: open.closes_at,
    message:
      'The results of this consultation will be public when it closes, on 26 January 2027 at 5:00pm.',
  });
  expect(publicResultsState({ ...open, results_visibility: 'during' }, now)).toEqual({
    public: true,
  });
  const closed = { ...open, closes_at: new Date(now.getTime() - DAY) };
  expect(publicResultsState({ ...closed, results_visibility: 'after_close' }, now)).toEqual({
    public: true,
  });
  const upcoming = { ...open, opens_at: new Date('2026-12-10T09:00:00Z') };
  expect(publicResultsState({ ...upcoming, results_visibility: 'during' }, now)).toMatchObject({
    public: false,
    message:
      'The results of this consultation will be public when it opens, on 10 December 2026 at 9:00am.',
  });
});

import fc from 'fast-check';
import { expect, test } from 'vitest';
import { emptyStanceCounts, withView, type StanceCounts } from '~/lib/results/statistics';
import { isSmall } from '~/lib/results/suppression';
import { cumulativeTrend, type DailyInput } from '~/lib/results/trend';

function day(date: string, support: number, oppose = 0): DailyInput {
  const stance: StanceCounts = { ...emptyStanceCounts(), support, oppose };
  return { day: date, answers: support + oppose, stance };
}

test('each point is net support as it stood at the end of that day', () => {
  const points = cumulativeTrend([day('2026-10-02', 0, 10), day('2026-10-01', 10)]);
  expect(points.map((p) => [p.day, p.answers, p.net!.value])).toEqual([
    ['2026-10-01', 10, 1],
    ['2026-10-02', 20, 0],
  ]);
});

test('public series merge days until each step adds five answers or more', () => {
  const points = cumulativeTrend(
    [day('2026-10-01', 3), day('2026-10-02', 1, 1), day('2026-10-03', 6), day('2026-10-04', 2)],
    { protectSmallSteps: true },
  );
  // 3 + 2 close a step on the 2nd; the 4th's 2 answers fold into the step before.
  expect(points.map((p) => [p.day, p.added, p.answers])).toEqual([
    ['2026-10-02', 5, 5],
    ['2026-10-04', 8, 13],
  ]);
});

test('in the verified view a step also waits until the unverified answers in it are not small', () => {
  const verified = [day('2026-10-01', 5), day('2026-10-02', 5), day('2026-10-03', 5)];
  const all = [day('2026-10-01', 7), day('2026-10-02', 5), day('2026-10-03', 10)];
  const points = cumulativeTrend(verified, { protectSmallSteps: true, complement: all });
  expect(points.map((p) => [p.day, p.added, p.complementAdded])).toEqual([['2026-10-03', 15, 7]]);
});

const series = fc
  .array(
    fc.record({
      support: fc.nat({ max: 6 }),
      oppose: fc.nat({ max: 6 }),
      extra: fc.nat({ max: 4 }),
    }),
    { minLength: 1, maxLength: 20 },
  )
  .map((list) =>
    list.map((d, i) => ({
      verified: day(`2026-10-${String(i + 1).padStart(2, '0')}`, d.support, d.oppose),
      all: day(`2026-10-${String(i + 1).padStart(2, '0')}`, d.support + d.extra, d.oppose),
    })),
  );

test('no two neighbouring public points differ by a small number of answers, in either view', () => {
  fc.assert(
    fc.property(series, (days) => {
      const verified = days.map((d) => d.verified);
      const points = cumulativeTrend(verified, {
        protectSmallSteps: true,
        complement: days.map((d) => d.all),
      });
      const total = verified.reduce((s, d) => s + d.answers, 0);
      const totalAll = days.reduce((s, d) => s + d.all.answers, 0);
      if (total + totalAll === 0) {
        // A property that returns false fails, so the expectation is not returned.
        expect(points).toEqual([]);
        return;
      }
      for (const p of points.slice(1)) {
        expect(isSmall(p.added)).toBe(false);
        expect(isSmall(p.complementAdded)).toBe(false);
      }
      const last = points[points.length - 1]!;
      expect(last.answers).toBe(total);
      expect(last.net?.n ?? 0).toBe(
        withView(
          verified.reduce((s, d) => {
            for (const k of Object.keys(s) as (keyof StanceCounts)[]) s[k] += d.stance[k];
            return s;
          }, emptyStanceCounts()),
        ),
      );
    }),
  );
});

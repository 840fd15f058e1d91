import fc from 'fast-check';
import { expect, test } from 'vitest';
import {
  emptyStanceCounts,
  meanAndSpread,
  netSupport,
  wilson,
  type StanceCounts,
} from '~/lib/results/statistics';

// Wilson limits from Newcombe (1998), "Two-sided confidence intervals for the single proportion",
// Statistics in Medicine 17:857–872, table II (method 3), to four places.
test.each([
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0, 0.1611],
  [1, 29, 0.0061, 0.1718],
])('Wilson interval of %i/%i matches the published %f–%f', (x, n, low, high) => {
  const estimate = wilson(x, n)!;
  expect(estimate.low).toBeCloseTo(low, 4);
  expect(estimate.high).toBeCloseTo(high, 4);
  expect(estimate.value).toBeCloseTo(x / n, 12);
});

test('Wilson interval of 5/10 is symmetric about one half', () => {
  const { low, high } = wilson(5, 10)!;
  expect(low).toBeCloseTo(0.2366, 4);
  expect(high).toBeCloseTo(0.7634, 4);
  expect(low + high).toBeCloseTo(1, 12);
});

test('Wilson interval is undefined with nobody to count and refuses impossible counts', () => {
  expect(wilson(0, 0)).toBeNull();
  expect(() => wilson(11, 10)).toThrow(RangeError);
});

test('Wilson interval always contains the share and stays within 0..1', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 100_000 })
        .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
      ([x, n]) => {
        const e = wilson(x, n)!;
        expect(e.low).toBeGreaterThanOrEqual(0);
        expect(e.high).toBeLessThanOrEqual(1);
        expect(e.low).toBeLessThanOrEqual(e.value);
        expect(e.high).toBeGreaterThanOrEqual(e.value);
      },
    ),
  );
});

test('Wilson interval narrows as the same share is seen in more people', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 100 }), (n, pct) => {
      const x = Math.round((n * pct) / 100);
      const small = wilson(x, n)!;
      const large = wilson(x * 10, n * 10)!;
      expect(large.high - large.low).toBeLessThan(small.high - small.low);
    }),
  );
});

function counts(partial: Partial<StanceCounts>): StanceCounts {
  return { ...emptyStanceCounts(), ...partial };
}

test('net support counts strong and plain stances alike and keeps neutral answers in the denominator', () => {
  const e = netSupport(
    counts({ strongly_support: 20, support: 10, neutral: 10, oppose: 6, strongly_oppose: 4 }),
  )!;
  expect(e.n).toBe(50);
  expect(e.value).toBeCloseTo((30 - 10) / 50, 12);
});

test('net support leaves out "no view" answers entirely', () => {
  const withNoView = netSupport(counts({ support: 6, oppose: 2, no_view: 40 }))!;
  const without = netSupport(counts({ support: 6, oppose: 2 }))!;
  expect(withNoView).toEqual(without);
  expect(netSupport(counts({ no_view: 12 }))).toBeNull();
});

test('net support interval by hand: 30 support, 10 neutral, 10 oppose', () => {
  // Wilson(30/50) = 0.461814–0.723916, Wilson(10/50) = 0.112438–0.330371, r = −√(0.6·0.2/(0.4·0.8)).
  const e = netSupport(counts({ support: 30, neutral: 10, oppose: 10 }))!;
  const r = -Math.sqrt((0.6 * 0.2) / (0.4 * 0.8));
  const [l1, u1, l2, u2] = [0.4618144, 0.7239161, 0.1124375, 0.3303711];
  const gap = (a: number, b: number) => Math.sqrt(a * a + b * b - 2 * r * a * b);
  expect(e.value).toBeCloseTo(0.4, 12);
  expect(e.low).toBeCloseTo(0.4 - gap(0.6 - l1, u2 - 0.2), 6);
  expect(e.high).toBeCloseTo(0.4 + gap(u1 - 0.6, 0.2 - l2), 6);
});

test('net support of five people all supporting is +1, with a wide lower limit', () => {
  const e = netSupport(counts({ strongly_support: 5 }))!;
  expect(e.value).toBe(1);
  expect(e.high).toBe(1);
  // Lower limit: 1 − √((1 − Wilson(5/5).low)² + Wilson(0/5).high²), with no correlation at the edge.
  expect(e.low).toBeCloseTo(1 - Math.hypot(1 - wilson(5, 5)!.low, wilson(0, 5)!.high), 12);
  expect(e.low).toBeCloseTo(0.3855, 4);
});

const stanceCounts = fc.record({
  strongly_support: fc.nat({ max: 500 }),
  support: fc.nat({ max: 500 }),
  neutral: fc.nat({ max: 500 }),
  oppose: fc.nat({ max: 500 }),
  strongly_oppose: fc.nat({ max: 500 }),
  no_view: fc.nat({ max: 500 }),
});

test('net support interval contains the estimate and stays within −1..+1', () => {
  fc.assert(
    fc.property(stanceCounts, (c) => {
      const e = netSupport(c);
      if (!e) return;
      expect(e.low).toBeGreaterThanOrEqual(-1);
      expect(e.high).toBeLessThanOrEqual(1);
      expect(e.low).toBeLessThanOrEqual(e.value + 1e-12);
      expect(e.high).toBeGreaterThanOrEqual(e.value - 1e-12);
    }),
  );
});

test('swapping supporters and opponents mirrors net support and its interval', () => {
  fc.assert(
    fc.property(stanceCounts, (c) => {
      const e = netSupport(c);
      const mirrored = netSupport({
        ...c,
        strongly_support: c.strongly_oppose,
        support: c.oppose,
        oppose: c.support,
        strongly_oppose: c.strongly_support,
      });
      if (!e) {
        expect(mirrored).toBeNull();
        return;
      }
      expect(mirrored!.value).toBeCloseTo(-e.value, 12);
      expect(mirrored!.low).toBeCloseTo(-e.high, 12);
      expect(mirrored!.high).toBeCloseTo(-e.low, 12);
    }),
  );
});

// A seeded generator, so the simulation below is the same on every run.
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test.each([
  [40, 0.45, 0.25],
  [120, 0.7, 0.1],
  [25, 0.3, 0.3],
])(
  'net support interval covers the true value about 95%% of the time (n=%i, support %f, oppose %f)',
  (n, pSupport, pOppose) => {
    const random = mulberry32(7);
    const truth = pSupport - pOppose;
    const runs = 4000;
    let covered = 0;
    for (let run = 0; run < runs; run += 1) {
      const c = counts({});
      for (let i = 0; i < n; i += 1) {
        const u = random();
        if (u < pSupport) c.support += 1;
        else if (u < pSupport + pOppose) c.oppose += 1;
        else c.neutral += 1;
      }
      const e = netSupport(c)!;
      if (e.low <= truth && truth <= e.high) covered += 1;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.975);
  },
);

test('mean importance and standard deviation from n, sum and sum of squares', () => {
  // Answers 5, 4, 4, 2, 5: mean 4, sample variance (1+0+0+4+1)/4 = 1.5.
  const result = meanAndSpread({ n: 5, sum: 20, sumSquares: 86 })!;
  expect(result.mean).toBe(4);
  expect(result.sd).toBeCloseTo(Math.sqrt(1.5), 12);
  expect(meanAndSpread({ n: 1, sum: 3, sumSquares: 9 })).toEqual({ mean: 3, sd: null, n: 1 });
  expect(meanAndSpread({ n: 0, sum: 0, sumSquares: 0 })).toBeNull();
});

test('mean and spread from running sums equal those of the answers themselves', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 400 }),
      (xs) => {
        const n = xs.length;
        const sum = xs.reduce((a, b) => a + b, 0);
        const sumSquares = xs.reduce((a, b) => a + b * b, 0);
        const mean = sum / n;
        const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
        const result = meanAndSpread({ n, sum, sumSquares })!;
        expect(result.mean).toBeCloseTo(mean, 10);
        expect(result.sd).toBeCloseTo(sd, 10);
      },
    ),
  );
});

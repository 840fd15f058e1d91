import { type Stance } from '~/lib/enums';

// Pure statistics behind every results page. Inputs are raw counts from the rollups; nothing
// here reads a response, so a page costs the same at any scale.

/** The two-sided 95% normal quantile (z for alpha = 0.05). */
export const Z_95 = 1.959963984540054;

export type Interval = { low: number; high: number };
export type Estimate = Interval & { value: number; n: number };

export type StanceCounts = Record<Stance, number>;

export function emptyStanceCounts(): StanceCounts {
  return {
    strongly_support: 0,
    support: 0,
    neutral: 0,
    oppose: 0,
    strongly_oppose: 0,
    no_view: 0,
  };
}

export function addStanceCounts(a: StanceCounts, b: StanceCounts): StanceCounts {
  const sum = emptyStanceCounts();
  for (const key of Object.keys(sum) as Stance[]) sum[key] = a[key] + b[key];
  return sum;
}

/** Everyone who answered the question, "no view" included. */
export function answered(counts: StanceCounts) {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Those with a view: every answer except "no view" (neutral is a view). */
export function withView(counts: StanceCounts) {
  return answered(counts) - counts.no_view;
}

export function supporting(counts: StanceCounts) {
  return counts.strongly_support + counts.support;
}

export function opposing(counts: StanceCounts) {
  return counts.strongly_oppose + counts.oppose;
}

/**
 * Wilson score interval for a binomial share (Wilson 1927): unlike the textbook p ± z·se it stays
 * inside [0, 1] and keeps close to its nominal 95% coverage for small n and shares near 0 or 1.
 * Null when there is nobody to count.
 */
export function wilson(successes: number, n: number, z = Z_95): Estimate | null {
  if (n <= 0) return null;
  if (successes < 0 || successes > n) throw new RangeError('successes must be within 0..n');
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    value: p,
    n,
    // The exact limits at 0 and n, rather than 1e-17 of rounding either side.
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Net support: (support + strongly support − oppose − strongly oppose) ÷ those with a view, from
 * −1 (everyone opposes) to +1 (everyone supports); neutral answers count in the denominator.
 *
 * Its 95% interval is MOVER-Wilson (Newcombe 1998; Zou & Donner 2008, "Construction of confidence
 * limits about effect measures"): Wilson score limits for the share supporting and the share
 * opposing, recovered into limits for their difference. The two shares come from one multinomial
 * sample, so they are negatively correlated, r = −√(p₊p₋ / ((1−p₊)(1−p₋))); the method folds that
 * in, which widens the interval exactly as the variance of a difference of dependent shares says it
 * should. It inherits Wilson's good small-sample behaviour and always stays within [−1, 1].
 */
export function netSupport(counts: StanceCounts, z = Z_95): Estimate | null {
  const n = withView(counts);
  if (n <= 0) return null;
  const plus = wilson(supporting(counts), n, z)!;
  const minus = wilson(opposing(counts), n, z)!;
  const d = plus.value - minus.value;
  const r = shareCorrelation(plus.value, minus.value);
  const lowerGap = combine(plus.value - plus.low, minus.high - minus.value, r);
  const upperGap = combine(plus.high - plus.value, minus.value - minus.low, r);
  return {
    value: d,
    n,
    low: Math.max(-1, d - lowerGap),
    high: Math.min(1, d + upperGap),
  };
}

function shareCorrelation(p1: number, p2: number) {
  if (p1 <= 0 || p2 <= 0 || p1 >= 1 || p2 >= 1) return 0;
  return -Math.sqrt((p1 * p2) / ((1 - p1) * (1 - p2)));
}

function combine(a: number, b: number, r: number) {
  return Math.sqrt(Math.max(0, a * a + b * b - 2 * r * a * b));
}

/** The share of those with a view who support (for sentences such as "78% support"). */
export function supportShare(counts: StanceCounts) {
  return wilson(supporting(counts), withView(counts));
}

export function opposeShare(counts: StanceCounts) {
  return wilson(opposing(counts), withView(counts));
}

/** Running sums of an answer on a 1–5 scale, as the rollups keep them. */
export type Moments = { n: number; sum: number; sumSquares: number };

/**
 * Mean and sample standard deviation from n, Σx and Σx², the only figures a rollup can keep
 * incrementally. The standard deviation needs two answers; rounding can push the variance a hair
 * below zero when every answer is equal, so it is floored at zero.
 */
export function meanAndSpread(
  moments: Moments,
): { mean: number; sd: number | null; n: number } | null {
  const { n, sum, sumSquares } = moments;
  if (n <= 0) return null;
  const mean = sum / n;
  if (n < 2) return { mean, sd: null, n };
  const variance = Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1));
  return { mean, sd: Math.sqrt(variance), n };
}

import { parseCsv } from './csv';
import { COUNT_COLUMNS, FIGURE_COLUMNS, IMPORTANCE_VALUES } from './files';

// The reproduction check that ships with the open data: every figure the results pages show is
// worked out again from the counts in aggregates.csv, by the method the README states, written
// here independently of the site's own statistics code, and compared with the published
// figures (aggregates.json, and the CSV's own figure columns). Pure: the command reads the files.

export type Difference = { row: string; figure: string; published: string; recomputed: string };
export type Verification = { rows: number; figures: number; differences: Difference[] };

const Z = 1.959963984540054;
export const TOLERANCE = 1e-9;
export const SMALL = 5;

type Figures = Partial<Record<(typeof FIGURE_COLUMNS)[number], number | null>>;

function wilson(s: number, n: number) {
  const p = s / n;
  const z2 = Z * Z;
  const d = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / d;
  const half = (Z / d) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    p,
    low: s === 0 ? 0 : Math.max(0, centre - half),
    high: s === n ? 1 : Math.min(1, centre + half),
  };
}

/** The figures of one row, from its counts alone. */
export function recompute(counts: (column: string) => number): Figures {
  const plus = counts('strongly_support') + counts('support');
  const minus = counts('strongly_oppose') + counts('oppose');
  const n = plus + minus + counts('neutral');
  const out: Figures = {};
  const m = IMPORTANCE_VALUES.reduce((sum, v) => sum + counts(`importance_${v}`), 0);
  const total = IMPORTANCE_VALUES.reduce((sum, v) => sum + v * counts(`importance_${v}`), 0);
  const squares = IMPORTANCE_VALUES.reduce((sum, v) => sum + v * v * counts(`importance_${v}`), 0);
  out.importance_mean = m > 0 ? total / m : null;
  out.importance_sd =
    m > 1 ? Math.sqrt(Math.max(0, (squares - (total * total) / m) / (m - 1))) : null;
  if (n === 0) {
    for (const column of FIGURE_COLUMNS.slice(2)) out[column] = null;
    return out;
  }
  const s = wilson(plus, n);
  const o = wilson(minus, n);
  const d = s.p - o.p;
  const inside = s.p > 0 && o.p > 0 && s.p < 1 && o.p < 1;
  const r = inside ? -Math.sqrt((s.p * o.p) / ((1 - s.p) * (1 - o.p))) : 0;
  const gap = (a: number, b: number) => Math.sqrt(Math.max(0, a * a + b * b - 2 * r * a * b));
  Object.assign(out, {
    support_share: s.p,
    support_low: s.low,
    support_high: s.high,
    oppose_share: o.p,
    oppose_low: o.low,
    oppose_high: o.high,
    net_support: d,
    net_support_low: Math.max(-1, d - gap(s.p - s.low, o.high - o.p)),
    net_support_high: Math.min(1, d + gap(s.high - s.p, o.p - o.low)),
  });
  return out;
}

export const blank = (v: unknown) => v === null || v === undefined || v === '';
export const show = (v: unknown) => (blank(v) ? '(blank)' : String(v));

function rowName(row: Record<string, string>) {
  const view = row.verified_only === 'true' ? 'verified only' : 'everyone';
  return `recommendation ${row.recommendation_number}, ${row.group}, ${view}`;
}

export type JsonRow = Record<string, string | number | boolean | null>;

/**
 * Compares every figure of aggregates.csv, recomputed from its counts, with the published
 * ones, and checks the small-group rule: a shown group has none or at least 5 answers, and a
 * suppressed one has no counts.
 */
export function verifyAggregates(csvText: string, json: { rows: JsonRow[] }): Verification {
  const rows = parseCsv(csvText);
  const differences: Difference[] = [];
  let figures = 0;
  const differ = (row: Record<string, string>, figure: string, published: unknown, got: unknown) =>
    differences.push({
      row: rowName(row),
      figure,
      published: show(published),
      recomputed: show(got),
    });
  if (rows.length !== json.rows.length) {
    differences.push({
      row: 'all rows',
      figure: 'number of rows',
      published: String(json.rows.length),
      recomputed: String(rows.length),
    });
  }
  rows.forEach((row, i) => {
    const published = json.rows[i] ?? {};
    const suppressed = row.suppressed === 'true';
    if (String(published.suppressed) !== row.suppressed) {
      differ(row, 'suppressed', published.suppressed, row.suppressed);
    }
    if (suppressed) {
      for (const [column, value] of Object.entries(row)) {
        if (
          /^(answers|importance_|support|oppose|neutral|strongly_|no_view|net_|reasons_tone_|comment_tone_)/.test(
            column,
          ) &&
          !blank(value)
        )
          differ(row, column, '(blank, suppressed)', value);
      }
      return;
    }
    const answers = Number(row.answers);
    if (answers > 0 && answers < SMALL) differ(row, 'answers', '0 or at least 5', answers);
    const counts = (column: string) => Number(row[column] ?? 0);
    const importanceAnswers = IMPORTANCE_VALUES.reduce((s, v) => s + counts(`importance_${v}`), 0);
    if (importanceAnswers !== counts('importance_answers')) {
      differ(row, 'importance_answers', row.importance_answers, importanceAnswers);
    }
    for (const prefix of ['reasons_tone', 'comment_tone']) {
      if (blank(row[`${prefix}_texts`])) continue;
      const buckets = ['negative', 'neutral', 'positive'].reduce(
        (sum, part) => sum + counts(`${prefix}_${part}`),
        0,
      );
      if (buckets !== counts(`${prefix}_texts`)) {
        differ(row, `${prefix}_texts`, row[`${prefix}_texts`], `${buckets} (the buckets added up)`);
      }
    }
    const got = recompute(counts);
    for (const figure of FIGURE_COLUMNS) {
      const expected = got[figure] ?? null;
      for (const value of [published[figure], row[figure]]) {
        figures += 1;
        const given = blank(value) ? null : Number(value);
        const same =
          expected === null || given === null
            ? expected === given
            : Math.abs(expected - given) <= TOLERANCE;
        if (!same) differ(row, figure, value, expected);
      }
    }
  });
  differences.push(...checkTotals(rows));
  return { rows: rows.length, figures, differences };
}

/** Where no group of a recommendation is suppressed, everyone's counts are the groups' sums. */
function checkTotals(rows: Record<string, string>[]): Difference[] {
  const differences: Difference[] = [];
  const views = new Map<string, Record<string, string>[]>();
  for (const row of rows) {
    const key = `${row.recommendation_number}:${row.verified_only}`;
    views.set(key, [...(views.get(key) ?? []), row]);
  }
  for (const view of views.values()) {
    const all = view.find((r) => r.group === 'all');
    const groups = view.filter((r) => r.group !== 'all');
    if (!all || groups.length === 0 || view.some((r) => r.suppressed === 'true')) continue;
    for (const column of COUNT_COLUMNS) {
      const sum = groups.reduce((total, r) => total + Number(r[column] ?? 0), 0);
      if (Number(all[column] ?? 0) !== sum) {
        differences.push({
          row: rowName(all),
          figure: column,
          published: show(all[column]),
          recomputed: `${sum} (the groups added up)`,
        });
      }
    }
  }
  return differences;
}

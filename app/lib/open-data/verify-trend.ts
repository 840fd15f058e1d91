import { STANCES } from '../enums';
import { parseCsv } from './csv';
import {
  blank,
  recompute,
  show,
  SMALL,
  TOLERANCE,
  type Difference,
  type JsonRow,
  type Verification,
} from './verify';

// The trend's share of the reproduction check: each point's net support and interval from its
// stance counts, each step none or at least 5 answers, the running total adding up, and the last
// point's stances the same as everyone's in aggregates.csv (where those are shown).

const NET = ['net_support', 'net_support_low', 'net_support_high'] as const;

type CsvRow = Record<string, string>;

function name(row: CsvRow) {
  const view = row.verified_only === 'true' ? 'verified only' : 'everyone';
  return `trend of recommendation ${row.recommendation_number}, ${view}, ${row.day}`;
}

export function verifyTrend(
  csvText: string,
  json: { rows: JsonRow[] },
  aggregates: CsvRow[],
): Verification {
  const rows = parseCsv(csvText);
  const differences: Difference[] = [];
  const differ = (row: CsvRow, figure: string, published: unknown, got: unknown) =>
    differences.push({ row: name(row), figure, published: show(published), recomputed: show(got) });
  let figures = 0;
  const series = new Map<string, CsvRow[]>();
  rows.forEach((row, i) => {
    const key = `${row.recommendation_number}:${row.verified_only}`;
    const before = series.get(key) ?? [];
    series.set(key, [...before, row]);
    const added = Number(row.answers_added);
    if (added > 0 && added < SMALL) differ(row, 'answers_added', '0 or at least 5', added);
    const previous = before.length ? Number(before[before.length - 1]!.answers) : 0;
    if (previous + added !== Number(row.answers))
      differ(row, 'answers', row.answers, previous + added);
    const got = recompute((column) => Number(row[column] ?? 0));
    for (const figure of NET) {
      const expected = got[figure] ?? null;
      for (const value of [json.rows[i]?.[figure], row[figure]]) {
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
  if (rows.length !== json.rows.length) {
    differences.push({
      row: 'trend',
      figure: 'number of rows',
      published: String(json.rows.length),
      recomputed: String(rows.length),
    });
  }
  for (const [key, points] of series) {
    const last = points[points.length - 1]!;
    const everyone = aggregates.find(
      (r) => `${r.recommendation_number}:${r.verified_only}` === key && r.group === 'all',
    );
    if (!everyone || everyone.suppressed === 'true') continue;
    for (const stance of STANCES) {
      if (Number(last[stance]) !== Number(everyone[stance])) {
        differ(last, stance, last[stance], `${everyone[stance]} (everyone, in aggregates.csv)`);
      }
    }
  }
  return { rows: rows.length, figures, differences };
}

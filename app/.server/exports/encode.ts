import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../audit-log';
import type { Row } from './datasets';

// Rows to text a batch at a time, so a download of a million rows never holds more than one
// batch: CSV as RFC 4180 (CRLF line ends, quotes where needed) with a byte-order mark, so that
// spreadsheets read it as UTF-8, and every cell a spreadsheet would run as a formula made
// plain; JSON as one document whose `rows` array is written row by row.

const CSV_OPTIONS = {
  record_delimiter: 'windows',
  cast: {
    string: (value: string) => neutraliseFormula(value),
    boolean: (value: boolean) => (value ? 'true' : 'false'),
  },
} as const;

export async function* csvChunks(columns: string[], batches: AsyncIterable<Row[]>) {
  yield stringify([], { ...CSV_OPTIONS, columns, header: true, bom: true });
  for await (const rows of batches) {
    if (rows.length) yield stringify(rows, { ...CSV_OPTIONS, columns, header: false });
  }
}

export async function* jsonChunks(
  about: Record<string, unknown>,
  columns: string[],
  batches: AsyncIterable<Row[]>,
) {
  // `about` and `columns` first, then the rows: a reader can stream the file too.
  const head = JSON.stringify({ ...about, columns, rows: [] });
  yield head.slice(0, -2);
  let first = true;
  for await (const rows of batches) {
    let text = '';
    for (const row of rows) {
      const ordered = Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
      text += `${first ? '' : ','}\n${JSON.stringify(ordered)}`;
      first = false;
    }
    if (text) yield text;
  }
  yield '\n]}\n';
}

import { sql, type ExpressionBuilder, type RawBuilder, type ReferenceExpression } from 'kysely';
import { DomainError } from './errors';

/**
 * Where a keyset-paged list stopped: the last row's time (to the microsecond, as Postgres keeps
 * it, which a JavaScript Date cannot hold), its id, and for some orders a count.
 */
export type Keyset = { at: string; id: string; count?: number };

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The rows past a cursor in a list ordered by `columns` (each naming the part of the cursor it
 * holds), every column the same way. A row comparison, unlike the equivalent OR, lets Postgres
 * start its index scan at the cursor, so a page deep in a list costs what the first one does.
 */
export function pastKeyset<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  direction: 'asc' | 'desc',
  keyset: Keyset,
  columns:
    | [KeysetColumn<DB, TB>, KeysetColumn<DB, TB>]
    | [KeysetColumn<DB, TB>, KeysetColumn<DB, TB>, KeysetColumn<DB, TB>],
) {
  const past = direction === 'asc' ? '>' : '<';
  const value = ([part]: KeysetColumn<DB, TB>) =>
    part === 'at'
      ? sql`${keyset.at}::timestamptz`
      : part === 'id'
        ? sql`${keyset.id}::uuid`
        : sql`${keyset.count ?? 0}::int`;
  // The values are typed by the cursor (timestamptz, uuid, int), not by the columns' types.
  if (columns.length === 2) {
    const [a, b] = columns;
    return eb(eb.refTuple(a[1], b[1]), past, eb.tuple(value(a), value(b)) as never);
  }
  const [a, b, c] = columns;
  return eb(eb.refTuple(a[1], b[1], c[1]), past, eb.tuple(value(a), value(b), value(c)) as never);
}

type KeysetColumn<DB, TB extends keyof DB> = [keyof Keyset, ReferenceExpression<DB, TB>];

/** A timestamptz column as the exact UTC text a cursor carries. */
export function keysetTime(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeKeyset(keyset: Keyset) {
  return Buffer.from(`${keyset.count ?? ''}|${keyset.at}|${keyset.id}`).toString('base64url');
}

/** Reads a cursor made by encodeKeyset; anything else is a page link someone has altered. */
export function decodeKeyset(
  cursor: string | null | undefined,
  { withCount = false } = {},
): Keyset | undefined {
  if (!cursor) return undefined;
  const [count, at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const countValid = withCount ? /^\d{1,9}$/.test(count ?? '') : count === '';
  if (rest.length > 0 || !countValid || !isRealTime(at) || !UUID.test(id ?? '')) {
    throw new DomainError(
      'invalid',
      'That page link is not valid. Start again from the first page.',
    );
  }
  return { at: at!, id: id!, ...(withCount ? { count: Number(count) } : {}) };
}

// Postgres refuses 30 February where a regular expression would not.
function isRealTime(at: string | undefined) {
  if (!at || !TIME.test(at)) return false;
  const date = new Date(at);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === at.slice(0, 19);
}

/** True for an id Postgres would read as a uuid; anything else cannot name a row. */
export function isUuid(value: string) {
  return UUID.test(value.toLowerCase());
}

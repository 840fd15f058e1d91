import { createHash } from 'node:crypto';

// The content hash printed on a published summary: SHA-256 over a canonical serialisation of its
// snapshot, so anyone holding the snapshot (the page's JSON, an archive) can recompute it. The
// serialisation is JSON with object keys sorted by code unit, no whitespace, and no undefined
// values; arrays keep their order. Numbers are written as JavaScript writes them, which is the
// same for every value a jsonb column gives back (it keeps a double's shortest decimal exactly).

/** Canonical JSON of a JSON-like value; Dates are written as ISO strings. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('A snapshot holds finite numbers only.');
      return JSON.stringify(value);
    case 'object': {
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`A snapshot cannot hold a ${typeof value}.`);
  }
}

/** SHA-256, as 64 lower-case hex digits, of the canonical JSON of `snapshot`. */
export function contentHash(snapshot: unknown) {
  return createHash('sha256').update(canonicalJson(snapshot), 'utf8').digest('hex');
}

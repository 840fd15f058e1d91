import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { diffLines, type DiffLine } from '~/lib/text-diff';
import { notFound } from '../errors';
import type { Resolved } from './evidence';
import type { SummarySnapshot } from './publishing';
import * as q from './queries';

async function publishedConsultation(db: Kysely<DB>, slug: string) {
  const consultation = await q.findConsultation(db, slug);
  // Only a published summary is public; a draft consultation has none.
  if (!consultation || consultation.status === 'draft') throw notFound('summary');
  return consultation;
}

/**
 * Anyone: a published version of the summary, the latest unless a number is given, exactly as
 * it was frozen, with its content hash. 404 for an unknown consultation or version.
 */
export async function getPublishedSummary(db: Kysely<DB>, slug: string, versionNumber?: number) {
  const consultation = await publishedConsultation(db, slug);
  if (versionNumber !== undefined && !(Number.isInteger(versionNumber) && versionNumber >= 1)) {
    throw notFound('version of this summary');
  }
  const [version, latest] = await Promise.all([
    q.findVersion(db, consultation.id, versionNumber ?? null),
    q.latestVersion(db, consultation.id),
  ]);
  if (!version || !latest) throw notFound(versionNumber ? 'version of this summary' : 'summary');
  return {
    number: version.number,
    latestNumber: latest.number,
    isLatest: version.number === latest.number,
    publishedAt: version.published_at,
    changeNote: version.change_note,
    licence: version.licence,
    contentHash: version.content_hash,
    snapshot: version.snapshot as SummarySnapshot,
  };
}

/** Anyone: every published version, oldest first, with its date, change note and hash. */
export async function listSummaryVersions(db: Kysely<DB>, slug: string) {
  const consultation = await publishedConsultation(db, slug);
  const versions = await q.listVersions(db, consultation.id);
  if (versions.length === 0) throw notFound('summary');
  return versions.map((v) => ({
    number: v.number,
    publishedAt: v.published_at,
    changeNote: v.change_note,
    contentHash: v.content_hash,
  }));
}

export type FieldDiff = { field: string; label: string; changed: boolean; lines: DiffLine[] };

function evidenceLine(e: Resolved) {
  return e.kind === 'figure' ? `${e.label}: ${e.text}` : `“${e.text}” — ${e.attribution}`;
}

/** The texts of a snapshot a reader compares, each under a stable field name. */
function fields(snapshot: SummarySnapshot) {
  const out = new Map<string, { label: string; text: string }>();
  out.set('intro', { label: 'Introduction', text: snapshot.intro.markdown });
  for (const r of snapshot.recommendations) {
    const name = `Recommendation ${r.number}`;
    const at = (part: string) => `recommendations.${r.number}.${part}`;
    out.set(at('title'), { label: `${name}: title`, text: r.title });
    out.set(at('youSaid'), { label: `${name}: you said`, text: r.youSaid.markdown });
    out.set(at('weDid'), { label: `${name}: we did`, text: r.weDid.markdown });
    out.set(at('outcome'), { label: `${name}: outcome`, text: r.outcome.label });
    out.set(at('outcomeReasons'), { label: `${name}: reasons`, text: r.outcome.reasons.markdown });
    out.set(at('quotes'), {
      label: `${name}: quotes`,
      text: r.quotes.map(evidenceLine).join('\n'),
    });
    out.set(at('citations'), {
      label: `${name}: evidence cited`,
      text: r.citations.map(evidenceLine).join('\n'),
    });
  }
  return out;
}

/**
 * Anyone: what changed between two published versions, field by field, as line diffs (fields of
 * either version; a recommendation only in one of them reads as wholly added or removed).
 */
export async function diffSummaryVersions(db: Kysely<DB>, slug: string, a: number, b: number) {
  const [from, to] = await Promise.all([
    getPublishedSummary(db, slug, a),
    getPublishedSummary(db, slug, b),
  ]);
  const before = fields(from.snapshot);
  const after = fields(to.snapshot);
  const names = [...new Set([...before.keys(), ...after.keys()])];
  return {
    from: { number: from.number, publishedAt: from.publishedAt, contentHash: from.contentHash },
    to: {
      number: to.number,
      publishedAt: to.publishedAt,
      contentHash: to.contentHash,
      changeNote: to.changeNote,
    },
    fields: names.map((field): FieldDiff => {
      const old = before.get(field)?.text ?? '';
      const now = after.get(field)?.text ?? '';
      return {
        field,
        label: (after.get(field) ?? before.get(field))!.label,
        changed: old !== now,
        lines: diffLines(old, now),
      };
    }),
  };
}

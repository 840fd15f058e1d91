import { data } from '@remix-run/node';
import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import { OUTCOME_STATUS_LABELS } from '~/lib/schemas/summaries';
import type { OutcomeUpdateView } from '~/lib/summary-snapshot';
import { notFound } from '../errors';
import { storedHtml } from '../markdown';
import { diffSummaryVersions, getPublishedSummary, listSummaryVersions } from './reading';
import * as q from './queries';

// What the public summary pages show, each in one call: a version with the list of versions,
// or where the consultation stands when nothing is published yet; the changes between two.

async function visibleConsultation(db: Kysely<DB>, slug: string) {
  const consultation = await q.findConsultation(db, slug);
  // A draft is not public at all: it has no summary page, not even an empty one.
  if (!consultation || consultation.status === 'draft') throw notFound('consultation');
  return consultation;
}

function stage(consultation: Awaited<ReturnType<typeof visibleConsultation>>) {
  return {
    slug: consultation.slug,
    title: consultation.title,
    phase: phaseOf(consultation),
    opensAt: consultation.opens_at,
    closesAt: consultation.closes_at,
  };
}

/** The 404 of a summary page before publication, saying where the consultation stands. */
function noSummaryYet(consultation: Parameters<typeof stage>[0]) {
  return data(
    { message: 'No summary has been published yet.', stage: stage(consultation) },
    { status: 404 },
  );
}

async function outcomeUpdatesBySlug(db: Kysely<DB>, consultationId: string) {
  const bySlug: Record<string, OutcomeUpdateView[]> = {};
  for (const u of await q.listConsultationOutcomeUpdates(db, consultationId)) {
    (bySlug[u.recommendation_slug] ??= []).push({
      id: u.id,
      happenedOn: u.happened_on,
      status: u.status,
      statusLabel: OUTCOME_STATUS_LABELS[u.status],
      noteHtml: storedHtml(u.note_html, u.note),
    });
  }
  return bySlug;
}

/**
 * Anyone: a published version of the summary (the latest unless a number is given) with every
 * version listed and, on the latest, what has happened to each recommendation since. Before
 * anything is published, a 404 that says where the consultation stands (the pages' error page
 * reads it). 404 for a draft or unknown consultation and for a version that does not exist.
 */
export async function getSummaryPage(db: Kysely<DB>, slug: string, versionNumber?: number) {
  const consultation = await visibleConsultation(db, slug);
  const latest = await q.latestVersion(db, consultation.id);
  if (!latest) throw noSummaryYet(consultation);
  const [version, versions] = await Promise.all([
    getPublishedSummary(db, slug, versionNumber),
    listSummaryVersions(db, slug),
  ]);
  return {
    consultation: stage(consultation),
    version,
    versions,
    outcomeUpdates: version.isLatest ? await outcomeUpdatesBySlug(db, consultation.id) : {},
  };
}

/**
 * Anyone: what changed between two published versions, earlier first whichever order they are
 * asked in; without numbers, the latest against the one before it. A number that is not a
 * version gets `problems` (by field) and no diff, so the page can say so beside its picker.
 * Before the first version and for a draft or unknown consultation, 404 as for getSummaryPage.
 */
export async function getSummaryChanges(
  db: Kysely<DB>,
  slug: string,
  asked: { from: number | null; to: number | null },
) {
  const consultation = await visibleConsultation(db, slug);
  if (!(await q.latestVersion(db, consultation.id))) throw noSummaryYet(consultation);
  const versions = await listSummaryVersions(db, slug);
  const latest = versions.at(-1)!.number;
  const from = asked.from ?? Math.max(1, (asked.to ?? latest) - 1);
  const to = asked.to ?? (asked.from === null ? latest : Math.min(latest, asked.from + 1));
  const problems: Record<string, string[]> = {};
  const range = latest === 1 ? 'There is only version 1' : `Choose a version from 1 to ${latest}`;
  for (const [field, n] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!versions.some((v) => v.number === n)) {
      problems[field] = [`There is no version ${n} of this summary. ${range}.`];
    }
  }
  const ok = Object.keys(problems).length === 0 && from !== to;
  return {
    consultation: stage(consultation),
    versions,
    from,
    to,
    problems,
    diff: ok ? await diffSummaryVersions(db, slug, Math.min(from, to), Math.max(from, to)) : null,
  };
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { SMALL_CELL } from '~/lib/results/suppression';
import {
  CorrectSummarySchema,
  OUTCOME_STATUS_LABELS,
  PublishSummarySchema,
  type CorrectSummaryInput,
  type PublishSummaryInput,
} from '~/lib/schemas/summaries';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import { requireOrganisedConsultation } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError, conflict } from '../errors';
import { storedHtml } from '../markdown';
import { notifyConsultationRespondents } from '../notifications';
import { contentHash, canonicalJson } from './canonical';
import { SAVED_FIRST, checkEvidence, missingParts } from './drafting';
import type { Resolved, SummarySnapshot, SummaryText } from '~/lib/summary-snapshot';
import { loadEvidence } from './evidence';
import * as q from './queries';
import { parseOrRefuse } from './validate';

/** The version of the snapshot's shape; a page reading an older one knows what it holds. */
export const SNAPSHOT_FORMAT = 1;

type Text = SummaryText;

export type { SummarySnapshot };

const ONLY_ORGANISERS = 'Only organisers of this consultation can publish its summary.';

type Mode =
  { kind: 'publish'; input: PublishSummaryInput } | { kind: 'correct'; input: CorrectSummaryInput };

function invalid(message: string) {
  return new DomainError('invalid', message);
}

async function publishVersion(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  mode: Mode,
  ctx: RequestContext,
) {
  const { id: consultationId } = await requireOrganisedConsultation(
    db,
    viewer,
    slug,
    ONLY_ORGANISERS,
  );
  const me = viewer!;
  const result = await db.transaction().execute(async (trx) => {
    // Taking turns on the consultation row makes a double submit wait for the first to commit,
    // then find its version and return that instead of publishing twice.
    const consultation = await q.lockConsultation(trx, consultationId);
    const [summary, latest] = await Promise.all([
      q.findSummary(trx, consultationId),
      q.latestVersion(trx, consultationId),
    ]);
    if (mode.kind === 'publish') {
      if (latest && summary && latest.draft_version === summary.version) {
        return { version: latest, created: false };
      }
      if (latest) {
        throw invalid(
          `This summary is published (version ${latest.number}). To change it, publish a correction with a note saying what changed.`,
        );
      }
      if (consultation.status !== 'analysing') {
        throw invalid(
          consultation.status === 'closed'
            ? 'Start analysing the responses before publishing the summary.'
            : 'A summary is published after the consultation has closed and its responses have been analysed.',
        );
      }
    } else {
      if (!latest || consultation.status !== 'published') {
        throw invalid('Nothing has been published yet: publish the summary first.');
      }
      if (summary && latest.draft_version === summary.version) {
        if (latest.number > 1 && latest.change_note === mode.input.changeNote) {
          return { version: latest, created: false };
        }
        throw invalid(
          `Nothing in the draft has changed since version ${latest.number} was published. Edit the draft, save it, then publish the correction.`,
        );
      }
    }
    if (!summary || summary.version !== mode.input.expectedVersion) {
      throw conflict(SAVED_FIRST(summary?.version ?? 0));
    }

    const recommendations = await q.listRecommendations(trx, consultationId);
    const parts = new Map(
      (await q.listParts(trx, summary.id)).map((p) => [p.recommendation_id, p]),
    );
    const missing = missingParts(summary, recommendations, parts);
    const count = Object.keys(missing).length;
    if (count > 0) {
      throw new DomainError(
        'invalid',
        `The summary cannot be published yet: ${count} required ${count === 1 ? 'part is' : 'parts are'} missing. Nothing was lost.`,
        { fieldErrors: missing },
      );
    }

    // Consent, moderation and results may have moved since the draft was saved: check again.
    const evidence = await loadEvidence(trx, consultationId, recommendations);
    const { fieldErrors, resolved } = await checkDraftEvidence(
      trx,
      consultationId,
      recommendations,
      parts,
      evidence,
    );
    if (Object.keys(fieldErrors).length > 0) {
      throw new DomainError(
        'invalid',
        'Some of the evidence can no longer be used. Remove it from the draft, save, then publish.',
        { fieldErrors },
      );
    }

    const number = (latest?.number ?? 0) + 1;
    const publishedAt = new Date();
    const changeNote = mode.kind === 'correct' ? mode.input.changeNote : null;
    // A correction keeps the licence the summary was published under unless it names another.
    const licence = mode.input.licence ?? latest?.licence ?? null;
    const snapshot = buildSnapshot({
      number,
      publishedAt,
      changeNote,
      licence,
      consultation,
      evidence,
      summary,
      recommendations,
      parts,
      resolved,
      moderated: await q.countModerated(trx, consultationId),
    });
    // Written as its canonical form, so what is stored is exactly what was hashed.
    const serialised = canonicalJson(snapshot);
    const version = await q.insertVersion(trx, {
      consultationId,
      number,
      publishedAt,
      publishedBy: me.id,
      draftVersion: summary.version,
      changeNote,
      snapshot: serialised,
      contentHash: contentHash(snapshot),
      licence,
    });
    if (consultation.status !== 'published') await q.markPublished(trx, consultationId);
    // Respondents hear once, of the first version; a correction is shown on the page itself.
    const told =
      number === 1
        ? await notifyConsultationRespondents(trx, consultationId, {
            kind: 'consultation.summary_published',
            subject: `The summary of “${consultation.title}” is published`,
            body: `The organisers of “${consultation.title}” have published what they heard and what they will do about each recommendation. Thank you for taking part.`,
            link: `/consultations/${consultation.slug}/summary`,
          })
        : null;
    await recordAudit(trx, {
      actorId: me.id,
      action: mode.kind === 'publish' ? 'summary.published' : 'summary.corrected',
      targetType: 'consultation',
      targetId: consultationId,
      consultationId,
      reason: changeNote,
      before: { status: consultation.status, version: latest?.number ?? null },
      after: {
        status: 'published',
        version: number,
        contentHash: version.content_hash,
        ...(told ? { told } : {}),
      },
      requestId: ctx.requestId,
    });
    return { version, created: true };
  });
  return {
    number: result.version.number,
    publishedAt: result.version.published_at,
    contentHash: result.version.content_hash,
    created: result.created,
  };
}

type SnapshotParts = {
  number: number;
  publishedAt: Date;
  changeNote: string | null;
  licence: string | null;
  consultation: Awaited<ReturnType<typeof q.lockConsultation>>;
  evidence: Awaited<ReturnType<typeof loadEvidence>>;
  summary: { intro: string; intro_html: string | null } | undefined;
  recommendations: Awaited<ReturnType<typeof q.listRecommendations>>;
  parts: Map<string, Awaited<ReturnType<typeof q.listParts>>[number]>;
  resolved: Map<string, Resolved>;
  moderated: Awaited<ReturnType<typeof q.countModerated>>;
};

/** Every quote and citation of the saved draft's parts, resolved against the current data. */
function checkDraftEvidence(
  db: Kysely<DB> | Transaction<DB>,
  consultationId: string,
  recommendations: SnapshotParts['recommendations'],
  parts: SnapshotParts['parts'],
  evidence: SnapshotParts['evidence'],
) {
  return checkEvidence(
    db,
    consultationId,
    recommendations,
    recommendations.map((r) => ({
      number: r.number,
      quotes: parts.get(r.id)?.quotes ?? [],
      citations: parts.get(r.id)?.citations ?? [],
    })),
    evidence,
  );
}

const NOT_CHOSEN = 'Outcome not chosen yet';

/**
 * The snapshot of a summary from its draft and resolved evidence. Publishing has checked that
 * every part is there and all evidence resolved; the preview shows a draft as it is, its
 * missing parts empty and evidence that may not be used left out.
 */
export function buildSnapshot(p: SnapshotParts): SummarySnapshot {
  const text = (markdown: string, html: string | null): Text => ({
    markdown,
    html: storedHtml(html, markdown),
  });
  const resolvedOnly = (keys: string[]) =>
    keys.flatMap((key) => (p.resolved.has(key) ? [p.resolved.get(key)!] : []));
  return {
    format: SNAPSHOT_FORMAT,
    number: p.number,
    publishedAt: p.publishedAt.toISOString(),
    changeNote: p.changeNote,
    licence: p.licence,
    consultation: {
      slug: p.consultation.slug,
      title: p.consultation.title,
      runBy: p.consultation.run_by,
      opensAt: p.consultation.opens_at?.toISOString() ?? null,
      closesAt: p.consultation.closes_at?.toISOString() ?? null,
    },
    method: { smallGroupThreshold: SMALL_CELL, moderated: p.moderated },
    respondents: p.evidence.respondents,
    intro: text(p.summary?.intro ?? '', p.summary?.intro_html ?? null),
    recommendations: p.recommendations.map((r) => {
      const part = p.parts.get(r.id);
      const status = part?.outcome_status ?? null;
      return {
        number: r.number,
        slug: r.slug,
        title: r.title,
        results: p.evidence.blocks.get(r.number)!,
        youSaid: text(part?.you_said ?? '', part?.you_said_html ?? null),
        weDid: text(part?.we_did ?? '', part?.we_did_html ?? null),
        outcome: {
          status: status ?? 'under_consideration',
          label: status ? OUTCOME_STATUS_LABELS[status] : NOT_CHOSEN,
          reasons: text(part?.outcome_reasons ?? '', part?.outcome_reasons_html ?? null),
        },
        quotes: resolvedOnly(part?.quotes ?? []),
        citations: resolvedOnly(part?.citations ?? []),
      };
    }),
  };
}

/**
 * Organisers of this consultation: the saved draft drawn as the next published version would
 * be, with what would stop it being published now (missing parts, evidence that may not be
 * used). Writes nothing.
 */
export async function previewSummary(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const { id: consultationId } = await requireOrganisedConsultation(
    db,
    viewer,
    slug,
    'Only organisers of this consultation can preview its summary.',
  );
  const [consultation, summary, latest, recommendations] = await Promise.all([
    q.findConsultation(db, slug).then((c) => c!),
    q.findSummary(db, consultationId),
    q.latestVersion(db, consultationId),
    q.listRecommendations(db, consultationId),
  ]);
  const parts = new Map(
    (summary ? await q.listParts(db, summary.id) : []).map((p) => [p.recommendation_id, p]),
  );
  const evidence = await loadEvidence(db, consultationId, recommendations);
  const { fieldErrors, resolved } = await checkDraftEvidence(
    db,
    consultationId,
    recommendations,
    parts,
    evidence,
  );
  const snapshot = buildSnapshot({
    number: (latest?.number ?? 0) + 1,
    publishedAt: new Date(),
    changeNote: null,
    licence: latest?.licence ?? null,
    consultation,
    evidence,
    summary,
    recommendations,
    parts,
    resolved,
    moderated: await q.countModerated(db, consultationId),
  });
  return {
    snapshot,
    version: summary?.version ?? 0,
    status: consultation.status,
    publishedNumber: latest?.number ?? null,
    problems: { ...missingParts(summary, recommendations, parts), ...fieldErrors },
  };
}

/**
 * Organisers of this consultation, once its responses are being analysed: publishes the saved
 * draft as version 1, a frozen snapshot with its SHA-256, and marks the consultation's summary
 * published. Lists every missing part as field errors; refuses evidence that may no longer be
 * used. A second submit of the same draft returns the same version. Audited; respondents who
 * take consultation news are told.
 */
export async function publishSummary(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: PublishSummaryInput,
  ctx: RequestContext,
) {
  return publishVersion(
    db,
    viewer,
    slug,
    { kind: 'publish', input: parseOrRefuse(PublishSummarySchema, input) },
    ctx,
  );
}

/**
 * Organisers of this consultation, after publication: publishes the changed draft as the next
 * version, with a required change note; earlier versions stay as they were. Same rules as
 * publishing; a double submit makes one version. Audited.
 */
export async function correctSummary(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: CorrectSummaryInput,
  ctx: RequestContext,
) {
  return publishVersion(
    db,
    viewer,
    slug,
    { kind: 'correct', input: parseOrRefuse(CorrectSummarySchema, input) },
    ctx,
  );
}

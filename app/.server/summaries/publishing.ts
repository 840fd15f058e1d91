import type { Kysely } from 'kysely';
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
import type { SummarySnapshot, SummaryText } from '~/lib/summary-snapshot';
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
    const { fieldErrors, resolved } = await checkEvidence(
      trx,
      consultationId,
      recommendations,
      recommendations.map((r) => ({
        number: r.number,
        quotes: parts.get(r.id)!.quotes,
        citations: parts.get(r.id)!.citations,
      })),
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
    const text = (markdown: string, html: string | null): Text => ({
      markdown,
      html: storedHtml(html, markdown),
    });
    const snapshot: SummarySnapshot = {
      format: SNAPSHOT_FORMAT,
      number,
      publishedAt: publishedAt.toISOString(),
      changeNote,
      licence: mode.input.licence,
      consultation: {
        slug: consultation.slug,
        title: consultation.title,
        runBy: consultation.run_by,
        opensAt: consultation.opens_at?.toISOString() ?? null,
        closesAt: consultation.closes_at?.toISOString() ?? null,
      },
      method: { smallGroupThreshold: SMALL_CELL },
      respondents: evidence.respondents,
      intro: text(summary.intro, summary.intro_html),
      recommendations: recommendations.map((r) => {
        const part = parts.get(r.id)!;
        const status = part.outcome_status!;
        return {
          number: r.number,
          slug: r.slug,
          title: r.title,
          results: evidence.blocks.get(r.number)!,
          youSaid: text(part.you_said, part.you_said_html),
          weDid: text(part.we_did, part.we_did_html),
          outcome: {
            status,
            label: OUTCOME_STATUS_LABELS[status],
            reasons: text(part.outcome_reasons, part.outcome_reasons_html),
          },
          quotes: part.quotes.map((key) => resolved.get(key)!),
          citations: part.citations.map((key) => resolved.get(key)!),
        };
      }),
    };
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
      licence: mode.input.licence,
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

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import {
  SaveSummaryDraftSchema,
  type SaveSummaryDraftInput,
  summaryField,
} from '~/lib/schemas/summaries';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import { requireOrganisedConsultation } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError, conflict } from '../errors';
import { renderForField, storedHtml } from '../markdown';
import {
  citableFigures,
  listQuoteCandidates,
  loadEvidence,
  resolveRef,
  type Evidence,
} from './evidence';
import * as q from './queries';
import { parseOrRefuse } from './validate';

type Db = Kysely<DB> | Transaction<DB>;
type Recommendation = Awaited<ReturnType<typeof q.listRecommendations>>[number];
type Part = Awaited<ReturnType<typeof q.listParts>>[number];

export const SAVED_FIRST = (version: number) =>
  `Another organiser saved this summary while you were editing it (it is now at version ${version}). Your text is below and has not been saved: compare it with theirs, then save again.`;

/** The same refusal when the newer save was the organiser's own, from another tab or window. */
export const SAVED_ELSEWHERE = (version: number) =>
  `You saved this summary from another tab or window while this page was open (it is now at version ${version}). The text below has not been saved: compare it with what is saved, then save again.`;

function presentPart(part: Part | undefined) {
  return {
    youSaid: part?.you_said ?? '',
    youSaidHtml: part ? storedHtml(part.you_said_html, part.you_said) : '',
    weDid: part?.we_did ?? '',
    weDidHtml: part ? storedHtml(part.we_did_html, part.we_did) : '',
    outcomeStatus: part?.outcome_status ?? null,
    outcomeReasons: part?.outcome_reasons ?? '',
    outcomeReasonsHtml: part ? storedHtml(part.outcome_reasons_html, part.outcome_reasons) : '',
    quotes: part?.quotes ?? [],
    citations: part?.citations ?? [],
  };
}

/**
 * Organisers of this consultation: the summary as drafted so far (version 0 before the first
 * save), each recommendation with its public results block, the figures that may be cited now
 * and the quotes that may be chosen, with their references.
 */
export async function getSummaryDraft(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const { id } = await requireOrganisedConsultation(
    db,
    viewer,
    slug,
    'Only organisers of this consultation can write its summary.',
  );
  const consultation = (await q.findConsultation(db, slug))!;
  const recommendations = await q.listRecommendations(db, id);
  const [summary, evidence, latest, told] = await Promise.all([
    q.findSummary(db, id),
    loadEvidence(db, id, recommendations),
    q.latestVersion(db, id),
    q.findPublicationNotice(db, id),
  ]);
  const parts = new Map(
    (summary ? await q.listParts(db, summary.id) : []).map((p) => [p.recommendation_id, p]),
  );
  return {
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      status: consultation.status,
      phase: phaseOf(consultation),
    },
    version: summary?.version ?? 0,
    updatedAt: summary?.updated_at ?? null,
    /** Whether the last save was this organiser's own (another tab), not someone else's. */
    savedByViewer: !!summary && summary.updated_by === viewer!.id,
    intro: summary?.intro ?? '',
    introHtml: summary ? storedHtml(summary.intro_html, summary.intro) : '',
    respondents: evidence.respondents,
    published: latest
      ? {
          number: latest.number,
          publishedAt: latest.published_at,
          draftVersion: latest.draft_version,
          contentHash: latest.content_hash,
          told,
        }
      : null,
    missing: missingParts(summary, recommendations, parts),
    recommendations: await Promise.all(
      recommendations.map(async (r) => ({
        id: r.id,
        number: r.number,
        slug: r.slug,
        title: r.title,
        results: evidence.blocks.get(r.number)!,
        figures: citableFigures(r.number, evidence),
        quoteCandidates: await listQuoteCandidates(db, r, evidence.blocks.get(r.number)),
        draft: presentPart(parts.get(r.id)),
      })),
    ),
  };
}

/**
 * Every quote and citation of the given parts resolved against the current data, as field
 * errors for those that may not be used (empty when all may).
 */
export async function checkEvidence(
  db: Db,
  consultationId: string,
  recommendations: Recommendation[],
  parts: { number: number; quotes: string[]; citations: string[] }[],
  evidence: Evidence,
) {
  const byId = new Map(recommendations.map((r) => [r.id, r]));
  const fieldErrors: Record<string, string[]> = {};
  const resolved = new Map<string, Exclude<Awaited<ReturnType<typeof resolveRef>>, string>>();
  for (const part of parts) {
    for (const field of ['quotes', 'citations'] as const) {
      for (const key of part[field]) {
        const result = await resolveRef(db, key, consultationId, byId, evidence);
        if (typeof result === 'string') {
          (fieldErrors[summaryField(part.number, field)] ??= []).push(result);
        } else if (field === 'quotes' && result.kind !== 'quote') {
          (fieldErrors[summaryField(part.number, field)] ??= []).push(
            'Only reasons and comments can be chosen as quotes; cite figures instead.',
          );
        } else {
          resolved.set(key, result);
        }
      }
    }
  }
  return { fieldErrors, resolved };
}

function render(text: string, field: string) {
  return renderForField('summary', text, field);
}

/**
 * Organisers of this consultation: saves the draft. Refused with 'conflict' when another
 * organiser saved since `expectedVersion` (nothing is written; the caller keeps the text), and
 * with field errors for any quote or figure that may not be used. Audited.
 */
export async function saveSummaryDraft(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  raw: SaveSummaryDraftInput,
  ctx: RequestContext,
) {
  const { id: consultationId } = await requireOrganisedConsultation(
    db,
    viewer,
    slug,
    'Only organisers of this consultation can write its summary.',
  );
  const input = parseOrRefuse(SaveSummaryDraftSchema, raw);
  const recommendations = await q.listRecommendations(db, consultationId);
  const byId = new Map(recommendations.map((r) => [r.id, r]));
  for (const part of input.recommendations) {
    if (!byId.has(part.recommendationId)) {
      throw new DomainError(
        'invalid',
        'One of the recommendations is not part of this consultation. Reload the page and try again.',
      );
    }
  }
  const intro = input.intro === undefined ? null : render(input.intro, 'intro');
  const rendered = input.recommendations.map((part) => {
    const number = byId.get(part.recommendationId)!.number;
    return {
      part,
      number,
      youSaid: render(part.youSaid, summaryField(number, 'youSaid')),
      weDid: render(part.weDid, summaryField(number, 'weDid')),
      outcomeReasons: render(part.outcomeReasons, summaryField(number, 'outcomeReasons')),
    };
  });
  const evidence = await loadEvidence(db, consultationId, recommendations);
  const { fieldErrors } = await checkEvidence(
    db,
    consultationId,
    recommendations,
    rendered.map((r) => ({ number: r.number, quotes: r.part.quotes, citations: r.part.citations })),
    evidence,
  );
  if (Object.keys(fieldErrors).length > 0) {
    throw new DomainError(
      'invalid',
      'Some of the evidence cannot be used. Nothing was saved: remove it and save again.',
      { fieldErrors },
    );
  }

  const me = viewer!;
  return db.transaction().execute(async (trx) => {
    await q.lockConsultation(trx, consultationId);
    const current = await q.findSummary(trx, consultationId);
    if ((current?.version ?? 0) !== input.expectedVersion) {
      // The same form sent twice (a double click without JavaScript): the first save stands.
      if (current && (await isRepeat(trx, current, me.id, input))) {
        return { version: current.version, repeated: true };
      }
      const version = current?.version ?? 0;
      throw conflict(
        current?.updated_by === me.id ? SAVED_ELSEWHERE(version) : SAVED_FIRST(version),
      );
    }
    const introText = input.intro ?? current?.intro ?? '';
    const introHtml = intro ?? render(introText, 'intro');
    const values = { intro: introText, introHtml: introHtml.html, htmlVersion: introHtml.version };
    const summary = current
      ? await q.updateSummary(trx, current.id, current.version, values, me.id)
      : await q.insertSummary(trx, { consultationId, ...values }, me.id);
    if (!summary) throw conflict(SAVED_FIRST(current!.version + 1));
    for (const r of rendered) {
      await q.upsertPart(trx, {
        summary_id: summary.id,
        recommendation_id: r.part.recommendationId,
        you_said: r.part.youSaid,
        you_said_html: r.youSaid.html,
        you_said_html_version: r.youSaid.version,
        we_did: r.part.weDid,
        we_did_html: r.weDid.html,
        we_did_html_version: r.weDid.version,
        outcome_status: r.part.outcomeStatus,
        outcome_reasons: r.part.outcomeReasons,
        outcome_reasons_html: r.outcomeReasons.html,
        outcome_reasons_html_version: r.outcomeReasons.version,
        quotes: JSON.stringify(r.part.quotes),
        citations: JSON.stringify(r.part.citations),
      });
    }
    await recordAudit(trx, {
      actorId: me.id,
      action: 'summary.draft_saved',
      targetType: 'consultation',
      targetId: consultationId,
      consultationId,
      before: { version: current?.version ?? 0 },
      after: { version: summary.version, recommendations: rendered.map((r) => r.number) },
      requestId: ctx.requestId,
    });
    return { version: summary.version, repeated: false };
  });
}

/** Whether the draft, saved last by this organiser, already says exactly what `input` says. */
async function isRepeat(
  db: Db,
  current: NonNullable<Awaited<ReturnType<typeof q.findSummary>>>,
  userId: string,
  input: SaveSummaryDraftInput,
) {
  if (current.updated_by !== userId) return false;
  if (input.intro !== undefined && input.intro !== current.intro) return false;
  const parts = new Map((await q.listParts(db, current.id)).map((p) => [p.recommendation_id, p]));
  return input.recommendations.every((part) => {
    const saved = parts.get(part.recommendationId);
    return (
      !!saved &&
      saved.you_said === part.youSaid &&
      saved.we_did === part.weDid &&
      saved.outcome_status === part.outcomeStatus &&
      saved.outcome_reasons === part.outcomeReasons &&
      JSON.stringify(saved.quotes) === JSON.stringify(part.quotes) &&
      JSON.stringify(saved.citations) === JSON.stringify(part.citations)
    );
  });
}

type SummaryRow = { intro: string } | undefined;

/**
 * What the draft still needs before it can be published, as messages keyed by the field they
 * are about (`intro`, `recommendations.<number>.youSaid`…): every part is required.
 */
export function missingParts(
  summary: SummaryRow,
  recommendations: { id: string; number: number }[],
  parts: Map<string, Pick<Part, 'you_said' | 'we_did' | 'outcome_status'>>,
) {
  const missing: Record<string, string[]> = {};
  if (!summary?.intro.trim()) missing.intro = ['Write the introduction: what you asked, and why'];
  for (const r of recommendations) {
    const part = parts.get(r.id);
    if (!part?.you_said.trim()) {
      missing[summaryField(r.number, 'youSaid')] = [
        `Recommendation ${r.number}: write what people said`,
      ];
    }
    if (!part?.we_did.trim()) {
      missing[summaryField(r.number, 'weDid')] = [
        `Recommendation ${r.number}: write what you did or will do`,
      ];
    }
    if (!part?.outcome_status) {
      missing[summaryField(r.number, 'outcomeStatus')] = [
        `Recommendation ${r.number}: choose an outcome`,
      ];
    }
  }
  return missing;
}

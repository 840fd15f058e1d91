import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB, Segment } from '#db/schema';
import {
  formatCount,
  formatDecimal,
  formatNet,
  formatNetInterval,
  formatShare,
} from '~/lib/results/format';
import { withView } from '~/lib/results/statistics';
import { GROUP_LABELS, type Group } from '~/lib/results/view';
import { STANCE_LABELS } from '~/lib/schemas/responses';
import { parseEvidenceRef, type EvidenceRef } from '~/lib/schemas/summaries';
import type { Resolved, ResolvedFigure, ResolvedQuote, ResultBlock } from '~/lib/summary-snapshot';
import { excerpt, getConsultationResults, getRecommendationResults } from '../results';
import { presentOverview, presentRecommendationResults } from '../results-views';
import * as q from './queries';

// The evidence a summary may show: the public results (small groups suppressed exactly as on the
// results pages, since a summary is public) and quotes its authors let us publish. Every figure
// and quote is resolved here from the current data, and a published summary keeps the resolved
// values, never the references.

type Db = Kysely<DB> | Transaction<DB>;
type Recommendation = Awaited<ReturnType<typeof q.listRecommendations>>[number];

export type { Resolved, ResolvedFigure, ResolvedQuote, ResultBlock };

/** Quotes are a few sentences; a summary shows more of them than a results theme does. */
const QUOTE_LENGTH = 600;
const CANDIDATES = 30;

export type Evidence = {
  respondents: { group: Group; label: string; responses: number | null }[];
  blocks: Map<number, ResultBlock>;
};

/** The public results of the consultation, one block per recommendation by number. */
export async function loadEvidence(
  db: Db,
  consultationId: string,
  recommendations: Recommendation[],
): Promise<Evidence> {
  const overview = presentOverview(
    await getConsultationResults(db, consultationId, { verifiedOnly: false }),
    null,
    'public',
    { sort: 'number', dir: 'asc' },
  );
  const blocks = new Map<number, ResultBlock>();
  for (const recommendation of recommendations) {
    const view = presentRecommendationResults(
      await getRecommendationResults(db, recommendation.id, {
        verifiedOnly: false,
        audience: 'public',
      }),
      null,
      'public',
    );
    const all = view.groups.find((g) => g.group === 'all')!;
    blocks.set(recommendation.number, {
      groups: view.groups,
      consensus: view.consensus.sentence,
      themes: (view.themes.find((t) => t.group === 'all')?.themes ?? []).map((t) => ({
        phrase: t.phrase,
        count: t.count,
      })),
      endorsements: all.endorsements,
    });
  }
  return { respondents: overview.responses, blocks };
}

const ONE_OF: Record<Segment, string> = {
  founder: 'A founder',
  investor: 'An investor',
  other: 'A respondent',
};

function estimateText(e: { value: number; low: number; high: number }, share: boolean) {
  return share
    ? `${formatShare(e.value)} (${formatShare(e.low)} to ${formatShare(e.high)})`
    : `${formatNet(e.value)} (${formatNetInterval(e)})`;
}

/** A figure of the current public results, or why it cannot be cited. */
function resolveFigure(
  ref: Extract<EvidenceRef, { kind: 'figure' | 'respondents' }>,
  key: string,
  evidence: Evidence,
): ResolvedFigure | string {
  const groupLabel = GROUP_LABELS[ref.group];
  if (ref.kind === 'respondents') {
    const cell = evidence.respondents.find((r) => r.group === ref.group)!;
    if (cell.responses === null) return `${groupLabel}: too few responses to show (suppressed).`;
    return {
      kind: 'figure',
      key,
      label: `${groupLabel}: responses to the consultation`,
      text: formatCount(cell.responses),
      value: cell.responses,
      low: null,
      high: null,
      n: cell.responses,
    };
  }
  const block = evidence.blocks.get(ref.recommendationNumber);
  if (!block) return `Recommendation ${ref.recommendationNumber} has no results to cite.`;
  const group = block.groups.find((g) => g.group === ref.group)!;
  const where = `Recommendation ${ref.recommendationNumber}, ${groupLabel.toLowerCase()}`;
  if (ref.measure === 'endorsements') {
    return {
      kind: 'figure',
      key,
      label: `${where}: endorsements`,
      text: formatCount(group.endorsements),
      value: group.endorsements,
      low: null,
      high: null,
      n: group.endorsements,
    };
  }
  if (group.hidden) return `${where}: too few answers to show (suppressed), so it cannot be cited.`;
  const missing = `${where}: there is no such figure (no answers with a view).`;
  switch (ref.measure) {
    case 'responses':
      return {
        kind: 'figure',
        key,
        label: `${where}: answers`,
        text: formatCount(group.answers!),
        value: group.answers!,
        low: null,
        high: null,
        n: group.answers!,
      };
    case 'net_support':
    case 'support':
    case 'oppose': {
      const estimate =
        ref.measure === 'net_support'
          ? group.net
          : ref.measure === 'support'
            ? group.support
            : group.oppose;
      if (!estimate) return missing;
      const name = { net_support: 'net support', support: 'support', oppose: 'oppose' }[
        ref.measure
      ];
      return {
        kind: 'figure',
        key,
        label: `${where}: ${name}`,
        text: estimateText(estimate, ref.measure !== 'net_support'),
        value: estimate.value,
        low: estimate.low,
        high: estimate.high,
        n: group.stance ? withView(group.stance) : estimate.n,
      };
    }
    case 'importance': {
      const spread = group.importance;
      if (!spread) return missing;
      return {
        kind: 'figure',
        key,
        label: `${where}: mean importance (1 to 5)`,
        text: formatDecimal(spread.mean),
        value: spread.mean,
        low: null,
        high: null,
        n: spread.n,
      };
    }
  }
}

/** The public anchor of an answer's reasons, as the results pages make it. */
export function answerQuoteKey(responseId: string, recommendationId: string) {
  const hash = createHash('sha256').update(`${responseId}:${recommendationId}`).digest('hex');
  return `quote-${hash.slice(0, 12)}`;
}

const NOT_QUOTABLE = 'cannot be quoted';

/**
 * A quote, or why it cannot be used: it must belong to this consultation, be published now
 * (not held, hidden or waiting for a moderator), and, for reasons, have an author who chose to
 * be named or anonymous. A comment is public under the name its author posted it with.
 */
async function resolveQuote(
  db: Db,
  ref: Extract<EvidenceRef, { kind: 'answer' | 'comment' }>,
  consultationId: string,
  byId: Map<string, Recommendation>,
  evidence: Evidence,
): Promise<Resolved | string> {
  const segmentHidden = (number: number, segment: Segment) =>
    evidence.blocks.get(number)?.groups.find((g) => g.group === segment)?.hidden ?? true;
  if (ref.kind === 'answer') {
    const row = await q.findAnswerQuote(db, ref.responseId, ref.recommendationId);
    const recommendation = row ? byId.get(row.recommendation_id) : undefined;
    if (!row || row.consultation_id !== consultationId || !recommendation) {
      return `This quote is not from this consultation, so it ${NOT_QUOTABLE}.`;
    }
    if (row.response_status !== 'submitted' || !row.reasons?.trim()) {
      return `This answer has no submitted reasons, so it ${NOT_QUOTABLE}.`;
    }
    if (row.consent !== 'named' && row.consent !== 'anonymous') {
      return `Its author chose not to have their response published, so it ${NOT_QUOTABLE}.`;
    }
    if (row.quote_status === 'hidden')
      return `A moderator hid these reasons, so they ${NOT_QUOTABLE}.`;
    if (row.quote_status !== 'published' || row.escalated_at) {
      return `These reasons are waiting for a moderator, so they ${NOT_QUOTABLE} yet.`;
    }
    const segment = row.segment ?? 'other';
    const hidden = segmentHidden(recommendation.number, segment);
    const attribution =
      row.consent === 'named' && row.display_name
        ? `${row.display_name}${row.organisation ? `, ${row.organisation}` : ''}`
        : hidden
          ? 'A respondent'
          : ONE_OF[segment];
    return {
      kind: 'quote',
      key: answerQuoteKey(row.response_id, row.recommendation_id),
      source: 'reasons',
      recommendationNumber: recommendation.number,
      text: excerpt(row.reasons, QUOTE_LENGTH),
      attribution,
      stanceLabel: row.stance ? STANCE_LABELS[row.stance] : null,
    };
  }
  const row = await q.findCommentQuote(db, ref.commentId);
  const recommendation = row ? byId.get(row.recommendation_id) : undefined;
  if (!row || row.consultation_id !== consultationId || !recommendation) {
    return `This comment is not from this consultation, so it ${NOT_QUOTABLE}.`;
  }
  if (row.status === 'held') return `This comment is held for review, so it ${NOT_QUOTABLE}.`;
  if (row.status !== 'visible' || !row.author_id) {
    return `This comment is not published, so it ${NOT_QUOTABLE}.`;
  }
  if (row.escalated_at)
    return `This comment is waiting for a moderator, so it ${NOT_QUOTABLE} yet.`;
  return {
    kind: 'quote',
    key: `comment-${row.id}`,
    source: 'comment',
    recommendationNumber: recommendation.number,
    text: excerpt(row.body, QUOTE_LENGTH),
    attribution: row.author_display_name,
    stanceLabel: null,
  };
}

/** Resolves one reference string against the current data; a string is the refusal. */
export async function resolveRef(
  db: Db,
  key: string,
  consultationId: string,
  byId: Map<string, Recommendation>,
  evidence: Evidence,
): Promise<Resolved | string> {
  const ref = parseEvidenceRef(key);
  if (!ref) return `“${key}” is not a known citation.`;
  if (ref.kind === 'figure' || ref.kind === 'respondents') return resolveFigure(ref, key, evidence);
  return resolveQuote(db, ref, consultationId, byId, evidence);
}

/** What an organiser may pick from on one recommendation: reasons and comments, with refs. */
export async function listQuoteCandidates(
  db: Db,
  recommendation: Recommendation,
  block: ResultBlock | undefined,
) {
  const hidden = (segment: Segment | null) =>
    block?.groups.find((g) => g.group === (segment ?? 'other'))?.hidden ?? true;
  const [answers, comments] = await Promise.all([
    q.listAnswerQuoteCandidates(db, recommendation.id, CANDIDATES),
    q.listCommentQuoteCandidates(db, recommendation.id, CANDIDATES),
  ]);
  return [
    ...answers.map((a) => ({
      ref: `answer:${a.response_id}:${recommendation.id}`,
      source: 'reasons' as const,
      text: excerpt(a.reasons ?? '', QUOTE_LENGTH),
      attribution:
        a.consent === 'named' && a.display_name
          ? `${a.display_name}${a.organisation ? `, ${a.organisation}` : ''}`
          : hidden(a.segment)
            ? 'A respondent'
            : ONE_OF[a.segment ?? 'other'],
      stanceLabel: a.stance ? STANCE_LABELS[a.stance] : null,
    })),
    ...comments.map((c) => ({
      ref: `comment:${c.id}`,
      source: 'comment' as const,
      text: excerpt(c.body, QUOTE_LENGTH),
      attribution: c.author_display_name,
      stanceLabel: null,
    })),
  ];
}

/** The figures of a block that may be cited now, with their keys, for the organiser's picker. */
export function citableFigures(number: number, evidence: Evidence) {
  const block = evidence.blocks.get(number);
  if (!block) return [];
  const keys = block.groups.flatMap((g) =>
    (['responses', 'net_support', 'support', 'oppose', 'importance', 'endorsements'] as const).map(
      (measure) => `${measure}:${number}:${g.group}`,
    ),
  );
  return keys.flatMap((key) => {
    const resolved = resolveFigure(
      parseEvidenceRef(key) as Extract<EvidenceRef, { kind: 'figure' }>,
      key,
      evidence,
    );
    return typeof resolved === 'string'
      ? []
      : [{ key, label: resolved.label, text: resolved.text }];
  });
}

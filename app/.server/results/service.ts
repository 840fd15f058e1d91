import { createHash } from 'node:crypto';
import { GROUPS, type Group } from '~/lib/results/view';
import type { Kysely } from 'kysely';
import type { DB, Segment, Stance } from '#db/schema';
import { notFound } from '../errors';
import { isUuid } from '../keyset';
import * as q from './queries';
import {
  type BySegment,
  type ConsultationResults,
  type DailyPoint,
  type ExampleQuote,
  type KeyPhrase,
  type OrganiserDetail,
  type RecommendationResults,
  type RecommendationSummary,
  type ResultsAudience,
  type ResultsFilter,
  type SegmentCounts,
  type StanceCounts,
  type ToneTotals,
} from './types';
import { STANCES } from '~/lib/enums';

/** Key phrases returned per group, and example quotes per phrase. */
export const THEMES_PER_GROUP = 8;
export const QUOTES_PER_PHRASE = 3;
/** A phrase in a single reason is not a theme. */
export const MIN_PHRASE_COUNT = 2;
/** Quotes are cut to about this many characters, at a word boundary. */
export const QUOTE_LENGTH = 280;
export const DISAGREEMENT_EXAMPLES = 10;
// A longer phrase replaces a shorter one within it when found in this share of its reasons.
const LONGER_PHRASE_SHARE = 0.6;
// Candidates ranked by TF-IDF per group before overlapping phrases are folded together.
const PHRASE_CANDIDATES = 200;

type AnswerRow = Awaited<ReturnType<typeof q.sumAnswerCounts>>[number];
type CommentRow = Awaited<ReturnType<typeof q.sumCommentCounts>>[number];
type DailyRow = Awaited<ReturnType<typeof q.sumDailyCounts>>[number];

function bySegment<T>(make: (group: Group) => T): BySegment<T> {
  return {
    all: make('all'),
    founder: make('founder'),
    investor: make('investor'),
    other: make('other'),
  };
}

function emptyStances(): StanceCounts {
  return Object.fromEntries(STANCES.map((s) => [s, 0])) as StanceCounts;
}

function emptyTone(): ToneTotals {
  return { n: 0, sum: 0, negative: 0, neutral: 0, positive: 0 };
}

function emptyCounts(): SegmentCounts {
  return {
    answers: 0,
    noStance: 0,
    stance: emptyStances(),
    importance: { n: 0, sum: 0, sumOfSquares: 0 },
    tone: emptyTone(),
    endorsements: 0,
    comments: 0,
    commentTone: emptyTone(),
  };
}

function addAnswers(target: SegmentCounts, row: AnswerRow) {
  target.answers += row.answers;
  target.noStance += row.no_stance;
  for (const stance of STANCES) target.stance[stance] += row[stance];
  target.importance.n += row.importance_n;
  target.importance.sum += row.importance_sum;
  target.importance.sumOfSquares += row.importance_sumsq;
  addTone(target.tone, row);
}

function addTone(
  target: ToneTotals,
  row: Pick<AnswerRow, 'tone_n' | 'tone_sum' | 'tone_negative' | 'tone_neutral' | 'tone_positive'>,
) {
  target.n += row.tone_n;
  // Sums of three-decimal tones, kept exact in the database; rounded back after adding here.
  target.sum = Math.round((target.sum + row.tone_sum) * 1000) / 1000;
  target.negative += row.tone_negative;
  target.neutral += row.tone_neutral;
  target.positive += row.tone_positive;
}

function addComments(target: SegmentCounts, row: CommentRow) {
  target.comments += row.visible;
  addTone(target.commentTone, row);
}

/** Counts per recommendation and segment, with `all` the sum of the segments. */
async function loadCounts(db: Kysely<DB>, recommendationIds: string[], verifiedOnly: boolean) {
  const counts = new Map(recommendationIds.map((id) => [id, bySegment(emptyCounts)]));
  const [answers, comments, endorsements] = await Promise.all([
    q.sumAnswerCounts(db, recommendationIds, verifiedOnly),
    q.sumCommentCounts(db, recommendationIds, verifiedOnly),
    q.listEndorsementCounts(db, recommendationIds),
  ]);
  for (const row of answers) {
    const c = counts.get(row.recommendation_id)!;
    addAnswers(c[row.segment], row);
    addAnswers(c.all, row);
  }
  for (const row of comments) {
    const c = counts.get(row.recommendation_id)!;
    addComments(c[row.segment], row);
    addComments(c.all, row);
  }
  for (const row of endorsements) {
    const c = counts.get(row.recommendation_id)!;
    c[row.segment].endorsements += row.count;
    c.all.endorsements += row.count;
  }
  return { counts, answers, comments };
}

function toDaily(rows: DailyRow[]): DailyPoint[] {
  const days = new Map<string, DailyPoint>();
  for (const row of rows) {
    let point = days.get(row.day);
    if (!point) {
      point = { day: row.day, answers: 0, stance: emptyStances() };
      days.set(row.day, point);
    }
    point.answers += row.answers;
    for (const stance of STANCES) point.stance[stance] += row[stance];
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/**
 * The pages, after deciding the viewer may see results: every recommendation of a consultation
 * with its counts by segment and its daily series. Reads rollups only; `not_found` for an
 * unknown id.
 */
export async function getConsultationResults(
  db: Kysely<DB>,
  consultationId: string,
  filter: ResultsFilter,
): Promise<ConsultationResults> {
  if (!isUuid(consultationId)) throw notFound('consultation');
  const consultation = await q.findConsultation(db, consultationId);
  if (!consultation) throw notFound('consultation');
  const recommendations = await q.listRecommendations(db, consultationId);
  const ids = recommendations.map((r) => r.id);
  const [{ counts }, daily, responses] = await Promise.all([
    ids.length ? loadCounts(db, ids, filter.verifiedOnly) : { counts: new Map() },
    ids.length ? q.sumDailyCounts(db, ids, filter.verifiedOnly, false) : [],
    q.sumResponseCounts(db, consultationId, filter.verifiedOnly),
  ]);
  const responseTotals = bySegment(() => 0);
  const responseDays = new Map<string, number>();
  for (const row of responses) {
    responseTotals[row.segment] += row.responses;
    responseTotals.all += row.responses;
    responseDays.set(row.day, (responseDays.get(row.day) ?? 0) + row.responses);
  }
  return {
    consultation,
    filter: { verifiedOnly: filter.verifiedOnly },
    responses: responseTotals,
    daily: [...responseDays]
      .map(([day, n]) => ({ day, responses: n }))
      .sort((a, b) => a.day.localeCompare(b.day)),
    recommendations: recommendations.map((r): RecommendationSummary => ({
      ...r,
      counts: counts.get(r.id)!,
      daily: toDaily(daily.filter((d) => d.recommendation_id === r.id)),
    })),
  };
}

/**
 * The pages, after deciding the viewer may see results (and, for the 'organiser' audience, that
 * they organise the consultation): one recommendation in depth. Reads rollups, plus bounded
 * index walks for example quotes and stance/tone disagreements; `not_found` for an unknown id.
 */
export async function getRecommendationResults(
  db: Kysely<DB>,
  recommendationId: string,
  options: ResultsFilter & { audience: ResultsAudience },
): Promise<RecommendationResults> {
  if (!isUuid(recommendationId)) throw notFound('recommendation');
  const recommendation = await q.findRecommendation(db, recommendationId);
  if (!recommendation) throw notFound('recommendation');
  const { verifiedOnly } = options;
  const ids = [recommendationId];
  const [{ counts, answers, comments }, dailyRows, themes] = await Promise.all([
    loadCounts(db, ids, verifiedOnly),
    q.sumDailyCounts(db, ids, verifiedOnly, true),
    loadThemes(db, recommendation.id, recommendation.consultation_id, verifiedOnly),
  ]);
  const organiser =
    options.audience === 'organiser'
      ? await loadOrganiserDetail(db, recommendationId, verifiedOnly, answers, comments)
      : null;
  return {
    consultation: {
      id: recommendation.consultation_id,
      slug: recommendation.consultation_slug,
      title: recommendation.consultation_title,
    },
    recommendation: {
      id: recommendation.id,
      number: recommendation.number,
      slug: recommendation.slug,
      title: recommendation.title,
    },
    filter: { verifiedOnly },
    audience: options.audience,
    counts: counts.get(recommendationId)!,
    daily: bySegment((group) =>
      toDaily(group === 'all' ? dailyRows : dailyRows.filter((d) => d.segment === group)),
    ),
    themes,
    organiser,
  };
}

/**
 * Key phrases per group ranked by TF-IDF: the number of reasons with the phrase, weighted by how
 * few of the consultation's recommendations share it (a phrase every recommendation has, like
 * the consultation's own subject, says little about this one).
 */
async function loadThemes(
  db: Kysely<DB>,
  recommendationId: string,
  consultationId: string,
  verifiedOnly: boolean,
): Promise<BySegment<KeyPhrase[]>> {
  const rows = await q.sumPhraseCounts(db, recommendationId, verifiedOnly, 1);
  const perGroup = bySegment(() => new Map<string, number>());
  for (const row of rows) {
    perGroup[row.segment].set(row.phrase, row.count);
    perGroup.all.set(row.phrase, (perGroup.all.get(row.phrase) ?? 0) + row.count);
  }
  const candidates = bySegment((group) =>
    [...perGroup[group]]
      .filter(([, count]) => count >= MIN_PHRASE_COUNT)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, PHRASE_CANDIDATES),
  );
  const allPhrases = [...new Set(GROUPS.flatMap((g) => candidates[g].map(([p]) => p)))];
  const [frequency, { n: recommendations }] = await Promise.all([
    q.phraseDocumentFrequency(db, consultationId, allPhrases, verifiedOnly),
    q.countRecommendations(db, consultationId),
  ]);
  const chosen = bySegment((group) =>
    pickThemes(
      candidates[group].map(([phrase, count]) => ({
        phrase,
        count,
        score:
          Math.round(count * Math.log(1 + recommendations / (frequency.get(phrase) ?? 1)) * 1000) /
          1000,
      })),
    ),
  );
  const quotes = await Promise.all(
    GROUPS.map((group) =>
      q.findQuotes(
        db,
        recommendationId,
        chosen[group].map((t) => t.phrase),
        {
          segment: group === 'all' ? null : group,
          verifiedOnly,
          perPhrase: QUOTES_PER_PHRASE,
        },
      ),
    ),
  );
  return bySegment((group) => {
    const rowsOfGroup = quotes[GROUPS.indexOf(group)]!;
    return chosen[group].map((theme) => ({
      ...theme,
      quotes: rowsOfGroup
        .filter((row) => row.phrase === theme.phrase)
        .map((row) => toQuote(row, recommendationId)),
    }));
  });
}

/**
 * Best first, without repeating words: a longer phrase takes the place of a shorter one inside
 * it ("option pool" for "option") when it is found in most of the same reasons, and a phrase
 * inside one already chosen is left out.
 */
export function pickThemes(ranked: Omit<KeyPhrase, 'quotes'>[]) {
  const sorted = [...ranked].sort(
    (a, b) => b.score - a.score || b.count - a.count || a.phrase.localeCompare(b.phrase),
  );
  const within = (inner: string, outer: string) => ` ${outer} `.includes(` ${inner} `);
  let chosen: Omit<KeyPhrase, 'quotes'>[] = [];
  for (const theme of sorted) {
    if (chosen.some((c) => within(theme.phrase, c.phrase))) continue;
    const inside = chosen.filter((c) => within(c.phrase, theme.phrase));
    if (inside.length > 0) {
      if (theme.count < LONGER_PHRASE_SHARE * Math.max(...inside.map((c) => c.count))) continue;
      const slot = chosen.indexOf(inside[0]!);
      chosen = chosen.flatMap((c, i) => (i === slot ? [theme] : inside.includes(c) ? [] : [c]));
    } else if (chosen.length < THEMES_PER_GROUP) {
      chosen.push(theme);
    }
  }
  return chosen;
}

/** A stable anchor for a quote that does not reveal the response's id. */
function quoteId(responseId: string, recommendationId: string) {
  return createHash('sha256')
    .update(`${responseId}:${recommendationId}`)
    .digest('hex')
    .slice(0, 12);
}

export function excerpt(text: string, length = QUOTE_LENGTH) {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= length) return clean;
  const cut = clean.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return `${(space > length / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

function toQuote(row: q.QuoteRow, recommendationId: string): ExampleQuote {
  return {
    id: quoteId(row.response_id, recommendationId),
    text: excerpt(row.reasons),
    stance: row.stance,
    segment: row.segment,
    verified: row.verified,
    attribution:
      row.consent === 'named' && row.display_name
        ? { kind: 'named', displayName: row.display_name, organisation: row.organisation }
        : { kind: 'anonymous' },
  };
}

async function loadOrganiserDetail(
  db: Kysely<DB>,
  recommendationId: string,
  verifiedOnly: boolean,
  answers: AnswerRow[],
  comments: CommentRow[],
): Promise<OrganiserDetail> {
  const detail: OrganiserDetail = {
    disagreements: bySegment(() => 0),
    unpublished: bySegment(() => ({ private: 0, pending: 0, hidden: 0 })),
    comments: bySegment(() => ({ held: 0, hidden: 0 })),
    disagreementExamples: [],
  };
  for (const row of answers) {
    for (const group of [row.segment, 'all'] as const) {
      detail.disagreements[group] += row.disagreements;
      detail.unpublished[group].private += row.reasons_private;
      detail.unpublished[group].pending += row.reasons_pending;
      detail.unpublished[group].hidden += row.reasons_hidden;
    }
  }
  for (const row of comments) {
    for (const group of [row.segment, 'all'] as const) {
      detail.comments[group].held += row.held;
      detail.comments[group].hidden += row.hidden;
    }
  }
  const disagreements = await q.listDisagreements(
    db,
    recommendationId,
    verifiedOnly,
    DISAGREEMENT_EXAMPLES,
  );
  detail.disagreementExamples = disagreements.map((row) => ({
    id: quoteId(row.response_id, recommendationId),
    stance: row.stance as Stance,
    tone: row.tone,
    text: excerpt(row.reasons ?? ''),
    segment: row.segment as Segment,
    reference: row.reference,
  }));
  return detail;
}

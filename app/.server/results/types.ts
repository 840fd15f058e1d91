import type { Segment, Stance } from '#db/schema';

// The read model of the results: raw counts from the rollup tables, never percentages. The
// statistics (net support, Wilson intervals, consensus) and small-cell suppression are computed
// from these counts by the pages, so that one set of rules decides what the public sees.

export type StanceCounts = Record<Stance, number>;

/** Mean = sum / n; variance = sumOfSquares / n − mean². */
export type ImportanceTotals = { n: number; sum: number; sumOfSquares: number };

export type ToneBucket = 'negative' | 'neutral' | 'positive';

/**
 * Tone of texts scored at write time, each in [−1, 1]. Mean = sum / n. Hidden (moderated)
 * texts are left out; texts under "do not publish" count, as they are never shown.
 */
export type ToneTotals = { n: number; sum: number } & Record<ToneBucket, number>;

/** What one group of respondents (a segment, or everyone) did on one recommendation. */
export type SegmentCounts = {
  /** Submitted responses that answered this recommendation at all. */
  answers: number;
  /** Answers without a stance (importance or reasons only). */
  noStance: number;
  stance: StanceCounts;
  importance: ImportanceTotals;
  /** Tone of the reasons given. */
  tone: ToneTotals;
  /**
   * Endorsements by people of the segment. Endorsements carry no verification, so the
   * verified-only filter does not narrow them.
   */
  endorsements: number;
  /** Visible comments by people of the segment. */
  comments: number;
  commentTone: ToneTotals;
};

/** `all` is the sum of the three segments. */
export type BySegment<T> = { all: T } & Record<Segment, T>;

/**
 * One UTC day: answers first submitted that day, with their current stance. Cumulative sums
 * over the series give net support as it stood at the end of each day.
 */
export type DailyPoint = { day: string; answers: number; stance: StanceCounts };

export type ResultsFilter = { verifiedOnly: boolean };
export type ResultsAudience = 'public' | 'organiser';

export type RecommendationSummary = {
  id: string;
  number: number;
  slug: string;
  title: string;
  counts: BySegment<SegmentCounts>;
  /** Every segment together, oldest day first; days without answers are left out. */
  daily: DailyPoint[];
};

export type ConsultationResults = {
  consultation: { id: string; slug: string; title: string };
  filter: ResultsFilter;
  /** Submitted responses to the consultation, by segment at submission. */
  responses: BySegment<number>;
  /** Submitted responses by the day they were first submitted, every segment together. */
  daily: { day: string; responses: number }[];
  /** In recommendation number order. */
  recommendations: RecommendationSummary[];
};

/** How a quote may be credited, following the respondent's publishing choice. */
export type QuoteAttribution =
  { kind: 'named'; displayName: string; organisation: string | null } | { kind: 'anonymous' };

/** Reasons that may be quoted: consent named or anonymous, quote published, never hidden. */
export type ExampleQuote = {
  /** Stable anchor for links to this quote on the results pages (not a response id). */
  id: string;
  text: string;
  stance: Stance | null;
  segment: Segment;
  verified: boolean;
  attribution: QuoteAttribution;
};

export type KeyPhrase = {
  phrase: string;
  /** Reasons containing the phrase, in this group. */
  count: number;
  /** TF-IDF score: how particular the phrase is to this recommendation within the consultation. */
  score: number;
  quotes: ExampleQuote[];
};

/** Detail only organisers see: never on a public page. */
export type OrganiserDetail = {
  /** Answers whose reasons read against their stance (support in a clearly negative tone…). */
  disagreements: BySegment<number>;
  /** Reasons that exist but are not quoted publicly, by cause. */
  unpublished: BySegment<{ private: number; pending: number; hidden: number }>;
  /** Comments not shown publicly, by status. */
  comments: BySegment<{ held: number; hidden: number }>;
  /** The most recent stance/tone disagreements, for analysts to read (hidden reasons left out). */
  disagreementExamples: {
    id: string;
    stance: Stance;
    tone: number;
    text: string;
    segment: Segment;
    reference: string | null;
  }[];
};

export type RecommendationResults = {
  consultation: { id: string; slug: string; title: string };
  recommendation: { id: string; number: number; slug: string; title: string };
  filter: ResultsFilter;
  audience: ResultsAudience;
  counts: BySegment<SegmentCounts>;
  /** Oldest day first, per segment and overall. */
  daily: BySegment<DailyPoint[]>;
  /** Key phrases of the reasons, best first, per segment and overall. */
  themes: BySegment<KeyPhrase[]>;
  /** Null unless the audience is 'organiser'. */
  organiser: OrganiserDetail | null;
};

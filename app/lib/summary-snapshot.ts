import type { OutcomeStatus } from './enums';
import type { Group, GroupResult } from './results/view';

// The shape of a published summary, frozen in `summary_versions.snapshot` (ADR 0016). Shared by
// the server, which writes it once, and the pages, which draw it; a page reads every `format`
// ever published.

/** One recommendation's public results as they were when the version was published. */
export type ResultBlock = {
  groups: GroupResult[];
  consensus: string;
  /** Everyone's main themes, most particular first; empty when everyone is too few to show. */
  themes: { phrase: string; count: number }[];
  endorsements: number;
};

export type ResolvedFigure = {
  kind: 'figure';
  key: string;
  label: string;
  /** The figure as the page prints it: "−40 (−46 to −34)". */
  text: string;
  value: number;
  low: number | null;
  high: number | null;
  n: number;
};

export type ResolvedQuote = {
  kind: 'quote';
  /** A public anchor that does not reveal a response's id. */
  key: string;
  source: 'reasons' | 'comment';
  recommendationNumber: number;
  text: string;
  attribution: string;
  stanceLabel: string | null;
};

export type Resolved = ResolvedFigure | ResolvedQuote;

export type SummaryText = { markdown: string; html: string };

/** Everything a published summary shows, frozen: the page is drawn from this alone. */
export type SummarySnapshot = {
  format: number;
  number: number;
  publishedAt: string;
  changeNote: string | null;
  licence: string | null;
  consultation: {
    slug: string;
    title: string;
    runBy: string;
    opensAt: string | null;
    closesAt: string | null;
  };
  method: {
    smallGroupThreshold: number;
    /**
     * What moderation kept out when the version was published: quotable reasons (named or
     * anonymous) held for review or hidden, and comments held or hidden. Versions published
     * before it was recorded have none.
     */
    moderated?: {
      reasonsHeld: number;
      reasonsHidden: number;
      commentsHeld: number;
      commentsHidden: number;
    };
  };
  respondents: { group: Group; label: string; responses: number | null }[];
  intro: SummaryText;
  recommendations: {
    number: number;
    slug: string;
    title: string;
    results: ResultBlock;
    youSaid: SummaryText;
    weDid: SummaryText;
    outcome: { status: OutcomeStatus; label: string; reasons: SummaryText };
    quotes: Resolved[];
    citations: Resolved[];
  }[];
};

/** A dated update of what became of a recommendation after publication (not in the snapshot). */
export type OutcomeUpdateView = {
  id: string;
  /** A calendar day, "2027-03-03". */
  happenedOn: string;
  status: OutcomeStatus;
  statusLabel: string;
  noteHtml: string;
};

import type { Consensus } from './consensus';
import { SEGMENTS } from '../enums';
import type { Estimate, StanceCounts } from './statistics';
import type { TrendPoint } from './trend';

// What the results pages render: numbers already computed and, in public views, already
// suppressed. Shared by the server, which builds them, and the UI, which draws them.

/** Everyone, then each segment. */
export const GROUPS = ['all', ...SEGMENTS] as const;
export type Group = (typeof GROUPS)[number];

export const GROUP_LABELS: Record<Group, string> = {
  all: 'Everyone',
  founder: 'Founders',
  investor: 'Investors',
  other: 'Others',
};

export type ToneSummary = {
  n: number;
  negative: number;
  neutral: number;
  positive: number;
  mean: number;
};

export type Spread = { mean: number; sd: number | null; n: number };

/** One group's results on one recommendation. Every figure is null when the group is hidden. */
export type GroupResult = {
  group: Group;
  label: string;
  /** Too few people to show publicly (see suppression.ts). */
  hidden: boolean;
  answers: number | null;
  stance: StanceCounts | null;
  net: Estimate | null;
  support: Estimate | null;
  oppose: Estimate | null;
  importance: Spread | null;
  tone: ToneSummary | null;
  commentTone: ToneSummary | null;
  /** Endorsements and comments are public already, so never hidden. */
  endorsements: number;
  comments: number;
};

export type ConsensusView = {
  kind: Consensus;
  label: string;
  /** "Founders 78% support, investors 41% support — divided." */
  sentence: string;
  /** The same without the verdict, for a table beside the label. */
  comparison: string;
};

export type OverviewRow = {
  number: number;
  slug: string;
  title: string;
  answers: number | null;
  net: Estimate | null;
  /** Why there is no net support to show. */
  netMissing: string | null;
  importance: Spread | null;
  endorsements: number;
  comments: number;
  consensus: ConsensusView;
};

export type QuoteView = {
  id: string;
  text: string;
  stanceLabel: string | null;
  /** "Jane Doe, Acme Ltd (founder)", "An investor", "A respondent". */
  attribution: string;
};

export type ThemeView = { phrase: string; count: number; quotes: QuoteView[] };

export type ThemeGroup = {
  group: Group;
  label: string;
  /** Null when the group is hidden. */
  themes: ThemeView[] | null;
};

export type OrganiserView = {
  disagreements: Record<Group, number>;
  unpublished: Record<Group, { private: number; pending: number; hidden: number }>;
  heldComments: Record<Group, { held: number; hidden: number }>;
  disagreementExamples: {
    id: string;
    stanceLabel: string;
    tone: number;
    text: string;
    groupLabel: string;
    reference: string | null;
  }[];
};

export type RecommendationResultsView = {
  groups: GroupResult[];
  consensus: ConsensusView;
  trend: TrendPoint[];
  themes: ThemeGroup[];
  /** Only for organisers. */
  organiser: OrganiserView | null;
};

export type { Estimate, StanceCounts, TrendPoint };

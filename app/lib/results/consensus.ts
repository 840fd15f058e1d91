import { opposing, supporting, withView, type StanceCounts } from './statistics';

// Whether founders and investors agree on a recommendation, in plain words.
//
// A group "supports" when more than half of those with a view support (strongly or not), and
// "opposes" when more than half oppose; otherwise it has no majority either way. Neutral answers
// count among those with a view, so a group split 40/40/20 has no majority. Point estimates are
// used because the sentence must be simple; the pages show each share's n and interval beside it.

export type Position = 'support' | 'oppose' | 'no_majority';

export type Consensus = 'agree_support' | 'agree_oppose' | 'divided' | 'no_majority' | 'too_few';

export type GroupView = {
  label: string;
  counts: StanceCounts;
  /** True when the group is too small to show in this view (see suppression.ts). */
  hidden?: boolean;
};

export function positionOf(counts: StanceCounts): Position | null {
  const n = withView(counts);
  if (n === 0) return null;
  if (supporting(counts) * 2 > n) return 'support';
  if (opposing(counts) * 2 > n) return 'oppose';
  return 'no_majority';
}

export const CONSENSUS_LABELS: Record<Consensus, string> = {
  agree_support: 'Both support',
  agree_oppose: 'Both oppose',
  divided: 'Divided',
  no_majority: 'No majority either way',
  too_few: 'Too few responses to compare',
};

/**
 * Both groups with a majority the same way agree; a majority one way against anything else is
 * divided; two groups with no majority at all are "no majority either way", not "divided".
 */
export function consensusOf(a: GroupView, b: GroupView): Consensus {
  const pa = a.hidden ? null : positionOf(a.counts);
  const pb = b.hidden ? null : positionOf(b.counts);
  if (!pa || !pb) return 'too_few';
  if (pa === pb) {
    if (pa === 'support') return 'agree_support';
    if (pa === 'oppose') return 'agree_oppose';
    return 'no_majority';
  }
  return 'divided';
}

export function percent(share: number) {
  return `${Math.round(share * 100)}%`;
}

function groupPhrase(group: GroupView) {
  if (group.hidden || withView(group.counts) === 0) return `${group.label}: too few responses`;
  const n = withView(group.counts);
  const support = supporting(group.counts) / n;
  const oppose = opposing(group.counts) / n;
  // Name the larger side, so "investors 62% oppose" is said rather than "investors 20% support".
  return oppose > support
    ? `${group.label} ${percent(oppose)} oppose`
    : `${group.label} ${percent(support)} support`;
}

/** "Founders 78% support, investors 41% support", without the verdict. */
export function consensusComparison(a: GroupView, b: GroupView) {
  const first = groupPhrase(a);
  return `${first.charAt(0).toUpperCase()}${first.slice(1)}, ${groupPhrase(b)}`;
}

/** "Founders 78% support, investors 41% support — divided." */
export function consensusSentence(a: GroupView, b: GroupView) {
  return `${consensusComparison(a, b)} — ${CONSENSUS_LABELS[consensusOf(a, b)].toLowerCase()}.`;
}

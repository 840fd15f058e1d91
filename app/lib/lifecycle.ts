import { formatUkDate, formatUkDateTime } from './dates';
import type { Phase } from './phase';

// Where a consultation is in its life, and what comes next, in the words every public page uses:
// open for comment → closed → analysing responses → summary published (then corrections).

export type SummaryDates = {
  /** When version 1 was published. */
  publishedAt: Date | string;
  /** When the latest version (a correction, or version 1) was published. */
  latestAt: Date | string;
  versions: number;
};

export type LifecycleFacts = {
  phase: Phase;
  opensAt: Date | string | null;
  closesAt: Date | string | null;
  publishedSummary: SummaryDates | null;
};

/** The steps after a consultation is published, in order, as the stepper shows them. */
export const LIFECYCLE_STEPS = ['open', 'closed', 'analysing', 'published'] as const;
export type LifecycleStep = (typeof LIFECYCLE_STEPS)[number];

export const LIFECYCLE_STEP_LABELS: Record<LifecycleStep, string> = {
  open: 'Open for comment',
  closed: 'Closed',
  analysing: 'Analysing responses',
  published: 'Summary published',
};

/** The step a phase stands at; an upcoming (or draft) consultation has not reached the first. */
export function currentStep(phase: Phase): LifecycleStep | null {
  return phase === 'upcoming' || phase === 'draft' ? null : phase;
}

/** When a step happened or will, for the stepper; null when there is nothing to say. */
export function stepDate(step: LifecycleStep, facts: LifecycleFacts): string | null {
  switch (step) {
    case 'open':
      return facts.opensAt ? formatUkDate(facts.opensAt) : null;
    case 'closed':
      return facts.closesAt ? formatUkDate(facts.closesAt) : null;
    case 'analysing':
      return null;
    case 'published':
      return facts.publishedSummary ? formatUkDate(facts.publishedSummary.publishedAt) : null;
  }
}

/** One or two sentences: where the consultation stands now, and what happens next. */
export function whatHappensNext(facts: LifecycleFacts): string {
  const { phase, opensAt, closesAt, publishedSummary: summary } = facts;
  const afterClose =
    'After it closes, the organisers analyse the responses and publish a summary of what they heard and what they will do about each recommendation.';
  switch (phase) {
    case 'draft':
      return 'This consultation is a draft: only its organisers can see it.';
    case 'upcoming':
      return `Opens for comment on ${opensAt ? formatUkDateTime(opensAt) : 'a date to be set'}. ${afterClose}`;
    case 'open':
      return `Open for comment until ${closesAt ? formatUkDateTime(closesAt) : 'a date to be set'}. ${afterClose}`;
    case 'closed':
      return `Closed${closesAt ? ` on ${formatUkDateTime(closesAt)}` : ''}. Next, the organisers analyse the responses, then publish a summary of what they heard and what they will do.`;
    case 'analysing':
      return `Closed${closesAt ? ` on ${formatUkDateTime(closesAt)}` : ''}. The organisers are analysing the responses; the summary of what they heard and what they will do is published next.`;
    case 'published': {
      if (!summary) return 'The summary of this consultation is published.';
      const corrected =
        summary.versions > 1
          ? ` It was last corrected on ${formatUkDate(summary.latestAt)} (version ${summary.versions}).`
          : '';
      return `The summary was published on ${formatUkDate(summary.publishedAt)}.${corrected} What became of each recommendation is updated on the summary as it happens.`;
    }
  }
}

/** A short "what happens next" for a card in a list of consultations. */
export function nextStepShort(facts: LifecycleFacts): string {
  const { phase, opensAt, closesAt, publishedSummary } = facts;
  switch (phase) {
    case 'draft':
      return 'Next: open it for comment.';
    case 'upcoming':
      return opensAt
        ? `Next: opens for comment on ${formatUkDate(opensAt)}.`
        : 'Next: opens for comment.';
    case 'open':
      return `Next: closes${closesAt ? ` on ${formatUkDate(closesAt)}` : ''}, then the organisers analyse the responses and publish a summary.`;
    case 'closed':
      return 'Next: the organisers analyse the responses and publish a summary.';
    case 'analysing':
      return 'Analysing the responses. Next: the summary of what the organisers heard and will do.';
    case 'published':
      return publishedSummary
        ? `Summary published ${formatUkDate(publishedSummary.publishedAt)}${publishedSummary.versions > 1 ? `, corrected ${formatUkDate(publishedSummary.latestAt)}` : ''}.`
        : 'Summary published.';
  }
}

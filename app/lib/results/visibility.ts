import { formatUkDateTime } from '~/lib/dates';
import type { ConsultationStatus } from '~/lib/enums';
import { phaseOf } from '~/lib/phase';

type ConsultationTimes = {
  status: ConsultationStatus;
  opens_at: Date | null;
  closes_at: Date | null;
  results_visibility: 'during' | 'after_close';
};

export type PublicResultsState =
  | { public: true }
  | {
      public: false;
      /** When the results will become public, if a date is set. */
      from: Date | null;
      /** The whole explanation, for the 403 page. */
      message: string;
    };

/**
 * Whether the public may read the results now. 'during' opens them with the consultation;
 * 'after_close' (the default) keeps them back until it closes, so that early numbers cannot
 * sway those still to respond. Closed consultations (being analysed or with a summary published too) always
 * show their results.
 */
export function publicResultsState(
  consultation: ConsultationTimes,
  now: Date = new Date(),
): PublicResultsState {
  const phase = phaseOf(consultation, now);
  if (phase === 'closed' || phase === 'analysing' || phase === 'published') return { public: true };
  if (phase === 'open' && consultation.results_visibility === 'during') return { public: true };
  const opensFirst = consultation.results_visibility === 'during';
  const from = opensFirst ? consultation.opens_at : consultation.closes_at;
  const event = opensFirst ? 'opens' : 'closes';
  if (phase === 'draft') {
    return { public: false, from: null, message: 'This consultation has not been published yet.' };
  }
  return {
    public: false,
    from,
    message: from
      ? `The results of this consultation will be public when it ${event}, on ${formatUkDateTime(from)}.`
      : `The results of this consultation will be public when it ${event}.`,
  };
}

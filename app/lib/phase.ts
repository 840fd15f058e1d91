import type { ConsultationStatus } from './enums';

/** Where a consultation stands for the people reading it, at a given moment. */
export type Phase = 'draft' | 'upcoming' | 'open' | 'closed' | 'analysing' | 'published';

export function phaseOf(
  consultation: { status: ConsultationStatus; opens_at: Date | null; closes_at: Date | null },
  now: Date = new Date(),
): Phase {
  const { status, opens_at, closes_at } = consultation;
  if (status !== 'open') return status;
  if (closes_at && closes_at.getTime() <= now.getTime()) return 'closed';
  if (opens_at && opens_at.getTime() > now.getTime()) return 'upcoming';
  return 'open';
}

export const PHASE_LABELS: Record<Phase, string> = {
  draft: 'Draft',
  upcoming: 'Opening soon',
  open: 'Open for comment',
  closed: 'Closed',
  analysing: 'Analysing responses',
  published: 'Summary published',
};

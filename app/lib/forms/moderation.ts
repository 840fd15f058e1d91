import { type HideReason } from '../enums';

// What the moderation forms and pages show and limit: labels, options and lengths, without zod,
// so that pages can import them without the schemas (app/lib/schemas/moderation.ts) in the browser's bundle.

/** Shown to moderators and, in the message about the decision, to the author. */
export const HIDE_REASON_LABELS: Record<HideReason, string> = {
  personal_data: 'It contains personal information about someone',
  abuse: 'It is abusive, hateful or threatening',
  spam: 'It is spam or advertising',
  off_topic: 'It is not about this recommendation',
  misinformation: 'It is false or misleading',
  unlawful: 'It may break the law (for example defamation)',
  other: 'It breaks the house rules in another way',
};

export const DECISION_NOTE_MAX = 1000;

export const QUEUE_STATES = [
  'reported',
  'auto_hidden',
  'held',
  'pending_quote',
  'escalated',
  'appeal',
] as const;

export type QueueState = (typeof QUEUE_STATES)[number];

export const QUEUE_STATE_LABELS: Record<QueueState, string> = {
  reported: 'Reported',
  auto_hidden: 'Hidden by reports',
  held: 'Held for review',
  pending_quote: 'Quotes to approve',
  escalated: 'Escalated to organisers',
  appeal: 'Appeal',
};

export const APPEAL_REASON_MAX = 1000;

/** Why an item is in the queue: what readers reported it for, or which rule held it. */
export const QUEUE_TRIGGERS = [
  'spam',
  'abuse',
  'off_topic',
  'misinformation',
  'other',
  'links',
  'duplicate',
  'pre_moderation',
] as const;

export type QueueTrigger = (typeof QUEUE_TRIGGERS)[number];

export const QUEUE_TRIGGER_LABELS: Record<QueueTrigger, string> = {
  spam: 'Reported as spam',
  abuse: 'Reported as abusive',
  off_topic: 'Reported as off topic',
  misinformation: 'Reported as misleading',
  other: 'Reported for another reason',
  links: 'Held: too many links',
  duplicate: 'Held: repeated comment',
  pre_moderation: 'Held: pre-moderation',
};

export const QUEUE_AGES = ['any', 'day', 'older_than_day', 'older_than_week'] as const;

export type QueueAge = (typeof QUEUE_AGES)[number];

export const QUEUE_AGE_LABELS: Record<QueueAge, string> = {
  any: 'Any time',
  day: 'In the last 24 hours',
  older_than_day: 'More than a day ago',
  older_than_week: 'More than a week ago',
};

export const QUEUE_ORDERS = ['oldest', 'newest'] as const;

/** An item's address: `c.<comment id>` or `q.<response id>.<recommendation id>`. */
export const ITEM_REF = /^(?:c\.[0-9a-f-]{36}|q\.[0-9a-f-]{36}\.[0-9a-f-]{36})$/;

export const BULK_MAX = 100;

export const HOUSE_RULES_MAX = 5000;

const QUEUE_FILTER_KEYS = ['state', 'recommendation', 'trigger', 'age', 'segment', 'order'];

/**
 * The queue filters carried through an item page (`?from=`), so a decision returns the
 * moderator to the same tab and filters. Anything else in it is dropped.
 */
export function queueReturnQuery(from: string | null) {
  const kept = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(from ?? '')) {
    if (QUEUE_FILTER_KEYS.includes(key) && /^[a-z0-9_]{1,20}$/.test(value)) kept.set(key, value);
  }
  return kept;
}

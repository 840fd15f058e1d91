import { z } from 'zod';
import { HIDE_REASONS, MODERATION_MODES, SEGMENTS, type HideReason } from '../enums';
import { COMMENT_MAX } from './discussion';
import { optionalText, versionField } from './fields';

const RELOAD = 'Reload the page and try again';

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

/** The author's request to review a moderator's decision. */
export const AppealSchema = z.strictObject({
  reason: z
    .string({ error: 'Say why the decision should be reviewed' })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, { error: 'Say why the decision should be reviewed' })
        .max(APPEAL_REASON_MAX, {
          error: `Your reason must be ${APPEAL_REASON_MAX.toLocaleString('en-GB')} characters or fewer`,
        }),
    ),
});
export type AppealInput = z.infer<typeof AppealSchema>;

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

/** The queue's address: each filter falls back to "all" when missing or altered. */
export const QueueFilterSchema = z.object({
  state: z
    .enum([...QUEUE_STATES, 'all'])
    .default('all')
    .catch('all'),
  recommendation: z.coerce.number().int().min(1).max(999).optional().catch(undefined),
  trigger: z.enum(QUEUE_TRIGGERS).optional().catch(undefined),
  age: z.enum(QUEUE_AGES).default('any').catch('any'),
  segment: z.enum(SEGMENTS).optional().catch(undefined),
  order: z.enum(QUEUE_ORDERS).default('oldest').catch('oldest'),
});
export type QueueFilter = z.infer<typeof QueueFilterSchema>;

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

/** What the moderator saw when they decided: the item's status and how many decisions it had. */
const seen = {
  seenStatus: z.string({ error: RELOAD }).min(1, { error: RELOAD }).max(20, { error: RELOAD }),
  seenSeq: z.coerce.number({ error: RELOAD }).int({ error: RELOAD }).min(0, { error: RELOAD }),
};

const note = optionalText('the note to the author', DECISION_NOTE_MAX);

/** One decision on one item, from the item page. */
export const DecisionSchema = z.discriminatedUnion(
  'intent',
  [
    z.strictObject({ intent: z.literal('approve'), note, ...seen }),
    z.strictObject({
      intent: z.literal('hide'),
      reason: z.enum(HIDE_REASONS, { error: 'Choose why you are hiding it' }),
      note,
      ...seen,
    }),
    z.strictObject({ intent: z.literal('restore'), note, ...seen }),
    z.strictObject({
      intent: z.literal('redact'),
      body: z
        .string({ error: 'Enter the text to publish instead' })
        .transform((value) => value.replace(/\r\n?/g, '\n').trim())
        .pipe(
          z
            .string()
            .min(1, { error: 'Enter the text to publish instead' })
            .max(COMMENT_MAX, {
              error: `The text must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`,
            }),
        ),
      reason: z.enum(HIDE_REASONS, { error: 'Choose why you are editing it' }),
      note,
      ...seen,
    }),
    z.strictObject({ intent: z.literal('escalate'), note, ...seen }),
    z.strictObject({ intent: z.literal('undo'), decisionId: z.uuid({ error: RELOAD }), ...seen }),
  ],
  { error: RELOAD },
);
export type DecisionInput = z.infer<typeof DecisionSchema>;

/** An item's address: `c.<comment id>` or `q.<response id>.<recommendation id>`. */
export const ITEM_REF = /^(?:c\.[0-9a-f-]{36}|q\.[0-9a-f-]{36}\.[0-9a-f-]{36})$/;

export const BULK_MAX = 100;

/**
 * A bulk decision from the queue. Each ticked box is a field of its own, `item:<ref>`, whose
 * value is what the moderator saw (`<decisions>:<status>`), so a stale row is skipped, not
 * overwritten.
 */
export const BulkDecisionSchema = z
  .object({
    intent: z.enum(['approve', 'hide'], { error: RELOAD }),
    reason: z.enum(HIDE_REASONS).optional().catch(undefined),
    note,
  })
  .catchall(z.string())
  .transform((value, ctx) => {
    const items: { ref: string; seenSeq: number; seenStatus: string }[] = [];
    for (const [key, raw] of Object.entries(value)) {
      if (key === 'intent' || key === 'reason' || key === 'note') continue;
      const ref = key.startsWith('item:') ? key.slice(5) : '';
      const match = /^(\d{1,6}):([a-z_]{1,20})$/.exec(String(raw));
      if (!ITEM_REF.test(ref) || !match) {
        ctx.addIssue({ code: 'custom', path: ['items'], message: RELOAD });
        return z.NEVER;
      }
      items.push({ ref, seenSeq: Number(match[1]), seenStatus: match[2]! });
    }
    if (items.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'Select at least one item' });
      return z.NEVER;
    }
    if (items.length > BULK_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['items'],
        message: `Select ${BULK_MAX} items or fewer at a time`,
      });
      return z.NEVER;
    }
    if (value.intent === 'hide' && !value.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Choose why you are hiding them' });
      return z.NEVER;
    }
    return { intent: value.intent, reason: value.reason ?? null, note: value.note, items };
  });
export type BulkDecisionInput = z.infer<typeof BulkDecisionSchema>;

export const HOUSE_RULES_MAX = 5000;

/** The per-consultation policy form. */
export const PolicySchema = z.strictObject({
  mode: z.enum(MODERATION_MODES, { error: 'Choose when comments are published' }),
  reportThreshold: z.coerce
    .number({ error: 'Enter a number of reports from 1 to 50' })
    .int({ error: 'Enter a whole number of reports from 1 to 50' })
    .min(1, { error: 'Enter a number of reports from 1 to 50' })
    .max(50, { error: 'Enter a number of reports from 1 to 50' }),
  houseRules: z
    .string()
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z.string().max(HOUSE_RULES_MAX, {
        error: `House rules must be ${HOUSE_RULES_MAX.toLocaleString('en-GB')} characters or fewer`,
      }),
    ),
  version: versionField,
});
export type PolicyInput = z.infer<typeof PolicySchema>;

import { z } from 'zod';
import { HIDE_REASONS, MODERATION_MODES, SEGMENTS } from '../enums';
import { COMMENT_MAX } from './discussion';
import { optionalText, versionField } from './fields';
import {
  DECISION_NOTE_MAX,
  QUEUE_STATES,
  APPEAL_REASON_MAX,
  QUEUE_TRIGGERS,
  QUEUE_AGES,
  QUEUE_ORDERS,
  ITEM_REF,
  BULK_MAX,
  HOUSE_RULES_MAX,
} from '../forms/moderation';
export * from '../forms/moderation';

const RELOAD = 'Reload the page and try again';

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

import { z } from 'zod';
import { REPORT_REASONS } from '../enums';
import { idempotencyKeyField, optionalText } from './fields';
import { COMMENT_MAX, REPORT_NOTE_MAX, COMMENT_SORTS } from '../forms/discussion';
export * from '../forms/discussion';

const LINK = /(?:https?:\/\/|www\.)[^\s<>()[\]]*/gi;

/** Links in a comment as typed: each http(s):// or www. address counts once. */
export function countLinks(text: string) {
  return text.match(LINK)?.length ?? 0;
}

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const RELOAD = 'Reload the page and try again';

/** A checkbox sends "on" when ticked and nothing at all when not. */
const checkbox = z
  .literal('on', { error: RELOAD })
  .optional()
  .transform((value) => value === 'on');

/** Endorse a recommendation, or withdraw an endorsement. */
export const EndorseSchema = z.strictObject({
  intent: z.enum(['endorse', 'withdraw'], { error: RELOAD }),
  onBehalfOfOrganisation: checkbox,
  showName: checkbox,
  idempotencyKey: idempotencyKeyField,
});
export type EndorseInput = z.infer<typeof EndorseSchema>;

// Browsers send a textarea's line breaks as CRLF; count each as one character, as people do.
const commentBody = z
  .string({ error: 'Write your comment' })
  .transform((value) => value.replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(1, { error: 'Write your comment' })
      .max(COMMENT_MAX, {
        error: (issue) =>
          `Your comment must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer. It has ${String(issue.input).length.toLocaleString('en-GB')}.`,
      }),
  );

/** A new comment, or a reply when `parentId` names the comment replied to. */
export const CommentSchema = z.strictObject({
  body: commentBody,
  parentId: z.preprocess(emptyToUndefined, z.uuid({ error: RELOAD }).optional()),
  idempotencyKey: idempotencyKeyField,
});
export type CommentInput = z.infer<typeof CommentSchema>;

export const EditCommentSchema = z.strictObject({ body: commentBody });
export type EditCommentInput = z.infer<typeof EditCommentSchema>;

/** Mark a comment helpful, or take that back. */
export const HelpfulVoteSchema = z.strictObject({
  intent: z.enum(['vote', 'unvote'], { error: RELOAD }),
});

/** A report to the moderators. */
export const ReportSchema = z
  .strictObject({
    reason: z.enum(REPORT_REASONS, { error: 'Choose why you are reporting this comment' }),
    note: optionalText('your note', REPORT_NOTE_MAX),
  })
  .superRefine((value, ctx) => {
    if (value.reason === 'other' && !value.note) {
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'Tell us what is wrong with this comment',
      });
    }
  });
export type ReportInput = z.infer<typeof ReportSchema>;

/** The `sort` of a comments page link; a missing or unknown value shows the newest first. */
export const CommentSortSchema = z.enum(COMMENT_SORTS).default('newest').catch('newest');

import { expect, test } from 'vitest';
import {
  COMMENT_MAX,
  CommentSchema,
  CommentSortSchema,
  EditCommentSchema,
  EndorseSchema,
  REPORT_REASON_LABELS,
  ReportSchema,
  countLinks,
} from '~/lib/schemas/discussion';
import { REPORT_REASONS } from '~/lib/enums';

function errorsOf(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

test('CommentSchema asks for a comment when the box is empty or only spaces', () => {
  for (const body of ['', '   \r\n\t  ']) {
    expect(errorsOf(CommentSchema.safeParse({ body })), JSON.stringify(body)).toEqual([
      { path: 'body', message: 'Write your comment' },
    ]);
  }
  expect(errorsOf(CommentSchema.safeParse({}))).toEqual([
    { path: 'body', message: 'Write your comment' },
  ]);
});

test('CommentSchema refuses a comment over 5,000 characters and says how long it is', () => {
  expect(errorsOf(CommentSchema.safeParse({ body: 'a'.repeat(COMMENT_MAX + 1) }))).toEqual([
    {
      path: 'body',
      message: 'Your comment must be 5,000 characters or fewer. It has 5,001.',
    },
  ]);
  expect(CommentSchema.safeParse({ body: 'a'.repeat(COMMENT_MAX) }).success).toBe(true);
});

test('CommentSchema trims the comment and counts a typed line break as one character', () => {
  const body = `${'a'.repeat(2500)}\r\n${'b'.repeat(2499)}`;

  const parsed = CommentSchema.parse({ body: `  ${body}  `, parentId: '' });

  expect(parsed.body).toBe(`${'a'.repeat(2500)}\n${'b'.repeat(2499)}`);
  expect(parsed.body).toHaveLength(COMMENT_MAX);
  expect(parsed.parentId).toBeUndefined();
});

test('CommentSchema accepts a reply’s parent id only as a uuid, and no unknown fields', () => {
  const parentId = '3f1c2a9e-8b7d-4c6e-9f01-23456789abcd';

  expect(CommentSchema.parse({ body: 'Agreed', parentId }).parentId).toBe(parentId);
  expect(errorsOf(CommentSchema.safeParse({ body: 'Agreed', parentId: '12' }))[0]?.path).toBe(
    'parentId',
  );
  expect(CommentSchema.safeParse({ body: 'Agreed', authorId: parentId }).success).toBe(false);
});

test('EditCommentSchema applies the same rules to the new text', () => {
  expect(errorsOf(EditCommentSchema.safeParse({ body: ' ' }))).toEqual([
    { path: 'body', message: 'Write your comment' },
  ]);
  expect(EditCommentSchema.parse({ body: ' Better wording ' })).toEqual({
    body: 'Better wording',
  });
});

test('EndorseSchema reads ticked boxes as true and missing ones as false', () => {
  expect(EndorseSchema.parse({ intent: 'endorse', showName: 'on' })).toEqual({
    intent: 'endorse',
    showName: true,
    onBehalfOfOrganisation: false,
  });
  expect(EndorseSchema.parse({ intent: 'withdraw' })).toEqual({
    intent: 'withdraw',
    showName: false,
    onBehalfOfOrganisation: false,
  });
  expect(EndorseSchema.safeParse({ intent: 'endorse', showName: 'yes' }).success).toBe(false);
  expect(EndorseSchema.safeParse({ intent: 'like' }).success).toBe(false);
});

test('ReportSchema needs a reason, and a note when the reason is "something else"', () => {
  expect(errorsOf(ReportSchema.safeParse({ reason: '' }))).toEqual([
    { path: 'reason', message: 'Choose why you are reporting this comment' },
  ]);
  expect(errorsOf(ReportSchema.safeParse({ reason: 'other', note: '  ' }))).toEqual([
    { path: 'note', message: 'Tell us what is wrong with this comment' },
  ]);
  expect(ReportSchema.parse({ reason: 'spam', note: '' })).toEqual({ reason: 'spam', note: null });
  expect(ReportSchema.parse({ reason: 'other', note: ' Doxxing ' })).toEqual({
    reason: 'other',
    note: 'Doxxing',
  });
});

test('ReportSchema refuses a note over 1,000 characters', () => {
  expect(errorsOf(ReportSchema.safeParse({ reason: 'abuse', note: 'x'.repeat(1001) }))).toEqual([
    { path: 'note', message: 'Your note must be 1,000 characters or fewer' },
  ]);
});

test('every report reason has a label', () => {
  expect(Object.keys(REPORT_REASON_LABELS).sort()).toEqual([...REPORT_REASONS].sort());
});

test('CommentSortSchema shows the newest first unless another known order is asked for', () => {
  expect(CommentSortSchema.parse(undefined)).toBe('newest');
  expect(CommentSortSchema.parse('helpful')).toBe('helpful');
  expect(CommentSortSchema.parse('oldest')).toBe('oldest');
  expect(CommentSortSchema.parse('random')).toBe('newest');
});

test('countLinks counts each web address once, however it is written', () => {
  expect(countLinks('No links here, just a full stop.')).toBe(0);
  expect(countLinks('https://www.example.com/a?b=c')).toBe(1);
  expect(countLinks('HTTP://A.EXAMPLE and WWW.B.EXAMPLE')).toBe(2);
  expect(countLinks('[report](https://a.example/r) (see http://b.example), <www.c.example>')).toBe(
    3,
  );
});

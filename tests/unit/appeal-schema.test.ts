import { expect, test } from 'vitest';
import { AppealSchema } from '~/lib/schemas/moderation';

test('an appeal needs a reason: empty or blank is refused with a plain message', () => {
  for (const reason of ['', '   \r\n ']) {
    const result = AppealSchema.safeParse({ reason });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Say why the decision should be reviewed');
  }
  expect(AppealSchema.safeParse({}).success).toBe(false);
});

test('an appeal reason is trimmed, counts CRLF as one character, and stops at 1,000', () => {
  expect(AppealSchema.parse({ reason: '  It is our own report.\r\nNot spam. ' }).reason).toBe(
    'It is our own report.\nNot spam.',
  );
  expect(AppealSchema.safeParse({ reason: 'x'.repeat(1000) }).success).toBe(true);
  const long = AppealSchema.safeParse({ reason: 'x'.repeat(1001) });
  expect(long.error?.issues[0]?.message).toBe('Your reason must be 1,000 characters or fewer');
});

test('an appeal form carries nothing but the reason', () => {
  expect(AppealSchema.safeParse({ reason: 'Fine.', decisionId: 'x' }).success).toBe(false);
});

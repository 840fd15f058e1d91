import { expect, test } from 'vitest';
import { retryDelaySeconds, topicOfKind } from '~/.server/mail';
import {
  ChangeEmailSchema,
  ChangePasswordSchema,
  EmailPreferencesSchema,
  UnsubscribeSchema,
} from '~/lib/schemas/email';

test('email preferences read one checkbox per topic; an unticked box is absent from the form', () => {
  expect(EmailPreferencesSchema.parse({ moderation: 'on', consultation_news: 'on' })).toEqual({
    topics: ['moderation', 'consultation_news'],
  });
  expect(EmailPreferencesSchema.parse({})).toEqual({ topics: [] });
  expect(EmailPreferencesSchema.safeParse({ moderation: 'yes' }).success).toBe(false);
  expect(EmailPreferencesSchema.safeParse({ marketing: 'on' }).success).toBe(false);
});

test('a one-click unsubscribe body is accepted, and so is an empty button press', () => {
  expect(UnsubscribeSchema.safeParse({ 'List-Unsubscribe': 'One-Click' }).success).toBe(true);
  expect(UnsubscribeSchema.safeParse({}).success).toBe(true);
  expect(UnsubscribeSchema.safeParse({ 'List-Unsubscribe': 'Other' }).success).toBe(false);
});

test('changing the password asks for the current one and a new one of at least 10 characters', () => {
  const result = ChangePasswordSchema.safeParse({ currentPassword: '', password: 'short' });
  expect(result.success).toBe(false);
  const issues = result.error!.issues.map((i) => [i.path[0], i.message]);
  expect(issues).toContainEqual(['currentPassword', 'Enter your current password']);
  expect(issues).toContainEqual(['password', 'Password must be at least 10 characters']);
});

test('a new email address is trimmed and lower-cased like the sign-up form', () => {
  expect(ChangeEmailSchema.parse({ email: '  New@Example.ORG ', currentPassword: 'x' }).email).toBe(
    'new@example.org',
  );
});

test('notification kinds map to the preference topics that can turn their email off', () => {
  expect(topicOfKind('moderation.comment.hidden')).toBe('moderation');
  expect(topicOfKind('role.granted')).toBe('account');
  expect(topicOfKind('account.suspended')).toBe('account');
  expect(topicOfKind('consultation.summary_published')).toBe('consultation_news');
});

test('retries back off from a minute to at most six hours', () => {
  expect([1, 2, 3].map(retryDelaySeconds)).toEqual([60, 120, 240]);
  expect(retryDelaySeconds(20)).toBe(6 * 3600);
});

import { expect, test } from 'vitest';
import { COMMON_PASSWORD, PERSONAL_PASSWORD, passwordProblem } from '~/.server/auth';
import { SignUpSchema } from '~/lib/schemas/accounts';
import { ChangePasswordSchema, ResetPasswordSchema } from '~/lib/schemas/email';

const person = { email: 'ada.lovelace@example.test', displayName: 'Ada Lovelace' };

function passwordIssues(password: string) {
  const result = ResetPasswordSchema.safeParse({ token: 'x', password });
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

test('passwords on the common list are refused, whatever their letter case or spacing', () => {
  for (const password of ['password123', '1234567890', 'qwertyuiop', 'PASSWORD123', 'iloveyou12']) {
    expect(passwordProblem(password, person), password).toBe(COMMON_PASSWORD);
  }
  expect(passwordProblem('Password 123', person)).toBe(COMMON_PASSWORD);
});

test('the email address, its local part and the display name are refused as passwords', () => {
  expect(passwordProblem('ada.lovelace@example.test', person)).toBe(PERSONAL_PASSWORD);
  expect(passwordProblem('Ada.Lovelace', person)).toBe(PERSONAL_PASSWORD);
  expect(passwordProblem('ada lovelace', person)).toBe(PERSONAL_PASSWORD);
  expect(passwordProblem('adalovelace', person)).toBe(PERSONAL_PASSWORD);
});

test('no composition rules: lower-case words, spaces, emoji and other scripts are all fine', () => {
  for (const password of [
    'correct horse battery staple',
    'lighthouse marmalade',
    'ünïcödé pässwörd',
    'パスワードはとても長い',
    'ladder 🪜 over the moon',
    'Ada Lovelace wrote the first program',
  ]) {
    expect(passwordProblem(password, person), password).toBeNull();
    expect(passwordIssues(password), password).toEqual([]);
  }
});

test('at least 10 characters, counted as people see them, and up to 256 (well over 64)', () => {
  expect(passwordIssues('nine char')).toEqual(['Password must be at least 10 characters']);
  // Ten emoji are ten characters, though twenty UTF-16 code units.
  expect(passwordIssues('🪜'.repeat(10))).toEqual([]);
  expect(passwordIssues('🪜'.repeat(9))).toEqual(['Password must be at least 10 characters']);
  expect(passwordIssues('a'.repeat(64))).toEqual([]);
  expect(passwordIssues('a'.repeat(256))).toEqual([]);
  expect(passwordIssues('a'.repeat(257))).toEqual(['Password must be 256 characters or fewer']);
  expect(passwordIssues('')).toEqual(['Enter a new password']);
});

test('passwords are kept exactly as typed: not trimmed, spaces count', () => {
  const parsed = SignUpSchema.parse({
    email: 'a@example.test',
    password: '  spaced out  ',
    displayName: 'A',
    segment: 'founder',
  });
  expect(parsed.password).toBe('  spaced out  ');
});

test('changing a password uses the same rules for the new one', () => {
  const result = ChangePasswordSchema.safeParse({ currentPassword: 'x', password: 'short' });
  expect(result.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
    ['password', 'Password must be at least 10 characters'],
  ]);
});

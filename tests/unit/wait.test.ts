import { expect, test } from 'vitest';
import { minutesToWait, tryAgainIn } from '~/lib/wait';

test('a wait under a minute reads as 1 minute, never 0 or seconds', () => {
  expect(minutesToWait(0)).toBe('1 minute');
  expect(minutesToWait(1)).toBe('1 minute');
  expect(minutesToWait(60)).toBe('1 minute');
});

test('a wait is rounded up to whole minutes', () => {
  expect(minutesToWait(61)).toBe('2 minutes');
  expect(minutesToWait(385)).toBe('7 minutes');
  expect(minutesToWait(420)).toBe('7 minutes');
  expect(minutesToWait(3600)).toBe('60 minutes');
});

test('long waits are still plain minutes, with a thousands separator', () => {
  expect(minutesToWait(24 * 3600)).toBe('1,440 minutes');
});

test('tryAgainIn makes the sentence people read', () => {
  expect(tryAgainIn(385)).toBe('Try again in 7 minutes.');
  expect(tryAgainIn(30)).toBe('Try again in 1 minute.');
});

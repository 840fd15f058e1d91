import { expect, test } from 'vitest';
import { formatUkDate, formatUkDateTime, parseUkInputValue, toUkInputValue } from '~/lib/dates';

test('a summer time typed in the UK is British Summer Time, one hour ahead of UTC', () => {
  expect(parseUkInputValue('2026-07-01T12:00')?.toISOString()).toBe('2026-07-01T11:00:00.000Z');
});

test('a winter time typed in the UK is GMT, the same as UTC', () => {
  expect(parseUkInputValue('2026-12-01T12:00')?.toISOString()).toBe('2026-12-01T12:00:00.000Z');
});

test('seconds sent by some browsers are accepted', () => {
  expect(parseUkInputValue('2026-12-01T12:00:00')?.toISOString()).toBe('2026-12-01T12:00:00.000Z');
});

test.each([
  ['31 February', '2026-02-31T10:00'],
  ['29 February in a non-leap year', '2027-02-29T10:00'],
  ['month 13', '2026-13-01T10:00'],
  ['hour 24', '2026-12-01T24:00'],
  ['minute 60', '2026-12-01T10:60'],
  ['a time skipped when the clocks go forward', '2026-03-29T01:30'],
  ['a date without a time', '2026-12-01'],
  ['a UK-style date', '01/12/2026 17:00'],
  ['text', 'next Tuesday'],
  ['an empty string', ''],
])('parseUkInputValue refuses %s', (_what, value) => {
  expect(parseUkInputValue(value)).toBeNull();
});

test('29 February in a leap year is a real date', () => {
  expect(parseUkInputValue('2028-02-29T10:00')?.toISOString()).toBe('2028-02-29T10:00:00.000Z');
});

test('formatUkDateTime reads like "1 December 2026 at 5:00pm"', () => {
  expect(formatUkDateTime(new Date('2026-12-01T17:00:00Z'))).toBe('1 December 2026 at 5:00pm');
});

test('formatUkDateTime shows summer instants in British Summer Time', () => {
  expect(formatUkDateTime('2026-07-01T08:30:00Z')).toBe('1 July 2026 at 9:30am');
});

test('formatUkDateTime shows noon as 12pm and midnight as 12am, not 0', () => {
  expect(formatUkDateTime('2026-07-01T11:05:00Z')).toBe('1 July 2026 at 12:05pm');
  expect(formatUkDateTime('2026-12-01T00:00:00Z')).toBe('1 December 2026 at 12:00am');
});

test('formatUkDate gives the UK calendar day, even when UTC is still on the day before', () => {
  expect(formatUkDate('2026-06-30T23:30:00Z')).toBe('1 July 2026');
});

test('toUkInputValue shows an instant as UK wall-clock time for a datetime-local input', () => {
  expect(toUkInputValue(new Date('2026-07-01T11:00:00Z'))).toBe('2026-07-01T12:00');
  expect(toUkInputValue('2026-12-01T17:05:00Z')).toBe('2026-12-01T17:05');
  expect(toUkInputValue(null)).toBe('');
});

test.each([
  '2026-01-15T08:00',
  '2026-07-01T12:00',
  '2026-10-25T00:59',
  '2026-12-31T23:59',
  '2028-02-29T00:00',
])('toUkInputValue(parseUkInputValue(%j)) gives the same value back', (value) => {
  const parsed = parseUkInputValue(value);
  expect(parsed).not.toBeNull();
  expect(toUkInputValue(parsed)).toBe(value);
});

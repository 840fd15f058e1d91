import { expect, test } from 'vitest';
import { joinDateParts, parseTimeOfDay, ukDateParts } from '~/lib/date-parts';
import { formatUkDate, formatUkDateTime, parseUkInputValue } from '~/lib/dates';

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

test('ukDateParts shows an instant as UK wall-clock day, month, year and time boxes', () => {
  expect(ukDateParts(new Date('2026-07-01T11:00:00Z'))).toEqual({
    day: '1',
    month: '7',
    year: '2026',
    time: '12:00',
  });
  expect(ukDateParts('2026-12-01T17:05:00Z')).toMatchObject({
    day: '1',
    month: '12',
    time: '17:05',
  });
  expect(ukDateParts(null)).toEqual({ day: '', month: '', year: '', time: '' });
});

test.each([
  '2026-01-15T08:00',
  '2026-07-01T12:00',
  '2026-10-25T00:59',
  '2026-12-31T23:59',
  '2028-02-29T00:00',
])('the boxes of parseUkInputValue(%j), joined again, give the same value back', (value) => {
  const parsed = parseUkInputValue(value);
  expect(parsed).not.toBeNull();
  expect(joinDateParts(ukDateParts(parsed), true)).toEqual({ ok: true, value });
});

test.each([
  ['17:00', '17:00'],
  ['9:30', '09:30'],
  ['5pm', '17:00'],
  ['5.30 PM', '17:30'],
  ['12am', '00:00'],
  ['12pm', '12:00'],
  ['0', '00:00'],
])('parseTimeOfDay reads %j as %s', (text, expected) => {
  expect(parseTimeOfDay(text)).toBe(expected);
});

test.each(['24:00', '13pm', '0am', '9:60', 'noonish', ''])('parseTimeOfDay refuses %j', (text) => {
  expect(parseTimeOfDay(text)).toBeNull();
});

test('joinDateParts says which boxes are missing, and that all empty is no date', () => {
  expect(joinDateParts({ day: '', month: ' ', year: '' }, false)).toEqual({ ok: true, value: '' });
  expect(joinDateParts({ day: '3', month: '', year: '2026', time: '' }, true)).toEqual({
    ok: false,
    missing: ['month', 'time'],
  });
  expect(joinDateParts({ day: 'x', month: '3', year: '2026' }, false)).toMatchObject({
    ok: false,
    invalid: true,
  });
  expect(joinDateParts({ day: '3', month: '4', year: '26' }, false)).toMatchObject({ ok: false });
  expect(joinDateParts({ day: '3', month: '4', year: '2026' }, false)).toEqual({
    ok: true,
    value: '2026-04-03',
  });
});

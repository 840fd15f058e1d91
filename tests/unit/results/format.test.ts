import { describe, expect, test } from 'vitest';
import { formatDay, formatShortDay } from '~/lib/results/format';

describe('calendar days', () => {
  test('read as the day written, whatever the machine’s time zone', () => {
    expect(formatDay('2026-12-01')).toBe('1 December 2026');
    expect(formatDay('2027-01-31')).toBe('31 January 2027');
    expect(formatShortDay('2026-03-29')).toBe('29 Mar');
    // The clocks go forward on 29 March in the UK: the day stays the day.
    expect(formatShortDay('2026-10-25')).toBe('25 Oct');
  });
});

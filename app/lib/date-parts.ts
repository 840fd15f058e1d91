import { TZDate } from '@date-fns/tz';
import { UK_TIME_ZONE } from './dates';

/**
 * Dates are typed as separate day, month and year boxes (and a time box where the time
 * matters), as GOV.UK does: a browser's date picker shows its own locale's order
 * (mm/dd/yyyy in many) and is hard to use with a screen reader. A form sends
 * `<name>Day`, `<name>Month`, `<name>Year` and `<name>Time`; these helpers join them into the
 * `2026-12-01` or `2026-12-01T17:00` text our date fields already read.
 */
export type DateParts = { day: string; month: string; year: string; time: string };

export const PART_SUFFIXES = ['Day', 'Month', 'Year', 'Time'] as const;

const EMPTY: DateParts = { day: '', month: '', year: '', time: '' };

/** The boxes' values for an instant, in UK time (time as 17:00). */
export function ukDateParts(value: Date | string | null | undefined): DateParts {
  if (!value) return EMPTY;
  const d = new TZDate(new Date(value).getTime(), UK_TIME_ZONE);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    day: String(d.getDate()),
    month: String(d.getMonth() + 1),
    year: String(d.getFullYear()),
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
}

/** The boxes' values for a calendar day written 2026-12-01. */
export function isoDateParts(value: string | null | undefined): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  if (!match) return EMPTY;
  return {
    day: String(Number(match[3])),
    month: String(Number(match[2])),
    year: match[1]!,
    time: '',
  };
}

/** "17:00", "9:30", "5pm", "5.30pm", "12am" → "HH:MM"; null if it is not a time of day. */
export function parseTimeOfDay(text: string): string | null {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  const period = match[3]?.toLowerCase();
  if (minute > 59) return null;
  if (period) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (period === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    return null;
  }
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

export type JoinedDate =
  | { ok: true; value: string }
  | { ok: false; missing: ('day' | 'month' | 'year' | 'time')[] }
  | { ok: false; missing: []; invalid: true };

/**
 * Joins typed boxes into `2026-12-01` (or `2026-12-01T17:00` with a time). All boxes empty is
 * an empty value; some empty says which; anything not a number (or a time) is invalid.
 * Whether the day exists (31 February) is left to the field that reads the value.
 */
export function joinDateParts(parts: Partial<DateParts>, withTime: boolean): JoinedDate {
  const day = parts.day?.trim() ?? '';
  const month = parts.month?.trim() ?? '';
  const year = parts.year?.trim() ?? '';
  const time = parts.time?.trim() ?? '';
  const typed = { day, month, year, ...(withTime ? { time } : {}) };
  const missing = (Object.keys(typed) as (keyof typeof typed)[]).filter((k) => !typed[k]);
  if (missing.length === Object.keys(typed).length) return { ok: true, value: '' };
  if (missing.length > 0) return { ok: false, missing };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { ok: false, missing: [], invalid: true };
  }
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  if (!withTime) return { ok: true, value: date };
  const clock = parseTimeOfDay(time);
  if (!clock) return { ok: false, missing: [], invalid: true };
  return { ok: true, value: `${date}T${clock}` };
}

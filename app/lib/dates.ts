import { TZDate } from '@date-fns/tz';

/** Consultations run on UK time; every date a person reads or types is Europe/London. */
export const UK_TIME_ZONE = 'Europe/London';

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: UK_TIME_ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  // en-GB's 12-hour clock defaults to h11 ("0:05pm" at noon); h12 gives "12:05pm".
  hourCycle: 'h12',
});

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: UK_TIME_ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "1 December 2026 at 5:00pm" in UK time. */
export function formatUkDateTime(value: Date | string) {
  const parts = dateTimeFormat.formatToParts(new Date(value));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  const time = `${get('hour')}:${get('minute')}${(get('dayPeriod') ?? '').toLowerCase().replace(/\s|\./g, '')}`;
  return `${get('day')} ${get('month')} ${get('year')} at ${time}`;
}

export function formatUkDate(value: Date | string) {
  return dateFormat.format(new Date(value));
}

/**
 * Reads "2026-12-01T17:00" (date boxes joined by `lib/date-parts.ts`) as UK wall-clock time;
 * null if it is not a real date and time.
 */
export function parseUkInputValue(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new TZDate(year, month - 1, day, hour, minute, UK_TIME_ZONE);
  // TZDate rolls 31 February over into March; a person meant no such date.
  if (date.getMonth() !== month - 1 || date.getDate() !== day || date.getHours() !== hour) {
    return null;
  }
  return new Date(date.getTime());
}

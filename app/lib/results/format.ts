import { type Stance } from '~/lib/enums';

// How results numbers read on the page. A real minus sign (U+2212) is used because screen
// readers say "minus" for it and a hyphen is easily missed.

const MINUS = '\u2212';

/** 0.78 → "78%". */
export function formatShare(share: number) {
  return `${Math.round(share * 100)}%`;
}

/** Net support, from −1 to +1, as signed percentage points: "+34", "−12", "0". */
export function formatNet(value: number) {
  const points = Math.round(value * 100);
  if (points === 0) return '0';
  return points > 0 ? `+${points}` : `${MINUS}${Math.abs(points)}`;
}

export function formatNetInterval(interval: { low: number; high: number }) {
  return `${formatNet(interval.low)} to ${formatNet(interval.high)}`;
}

export function formatDecimal(value: number, places = 1) {
  const text = value.toFixed(places);
  return text.startsWith('-') ? `${MINUS}${text.slice(1)}` : text;
}

export function formatCount(n: number) {
  return n.toLocaleString('en-GB');
}

/** Tone from −1 to +1 in words a reader can use. */
export function toneWords(mean: number) {
  if (mean <= -0.25) return 'negative';
  if (mean < -0.05) return 'somewhat negative';
  if (mean <= 0.05) return 'neutral';
  if (mean < 0.25) return 'somewhat positive';
  return 'positive';
}

/** Short labels for narrow chart legends and table headings. */
export const STANCE_SHORT_LABELS: Record<Stance, string> = {
  strongly_support: 'Strongly support',
  support: 'Support',
  neutral: 'Neutral',
  oppose: 'Oppose',
  strongly_oppose: 'Strongly oppose',
  no_view: 'No view',
};

// Built once: toLocaleDateString with options builds a formatter on every call, which was 14% of
// the recommendation results page's time under load (one call per day of the trend).
const longDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const shortDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});

function calendarDay(day: string) {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date));
}

/** "1 December 2026" from "2026-12-01", read as a calendar day (no time zone shift). */
export function formatDay(day: string) {
  return longDay.format(calendarDay(day));
}

/** "1 Dec" for axis labels. */
export function formatShortDay(day: string) {
  return shortDay.format(calendarDay(day));
}

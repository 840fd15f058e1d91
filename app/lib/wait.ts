/**
 * How long to wait, in whole minutes rounded up ("1 minute", "7 minutes"): people plan in
 * minutes, and a count of seconds ("Wait 385 seconds") makes them do arithmetic.
 */
export function minutesToWait(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? '1 minute' : `${minutes.toLocaleString('en-GB')} minutes`;
}

/** "Try again in 7 minutes." */
export function tryAgainIn(seconds: number): string {
  return `Try again in ${minutesToWait(seconds)}.`;
}

/**
 * The key this showing of a form carries, made by the loader, so that the same form sent twice
 * (a double click, "Try again" after an error page) counts once. Keyed by its value: a new page
 * of the same route must never keep the previous page's key.
 */
export function IdempotencyKeyInput({ value }: { value: string }) {
  return <input key={value} type="hidden" name="idempotencyKey" value={value} />;
}

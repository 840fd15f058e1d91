import { expect } from 'vitest';
import { DomainError } from '~/.server/errors';

/** The DomainError a service call refuses with; the test fails if it succeeds or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** The values of calls run at once, failing the test with every rejection if any was refused. */
export function everyFulfilled<T>(settled: PromiseSettledResult<T>[]): T[] {
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
  expect(failures).toEqual([]);
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

import type { z } from 'zod';
import { DomainError } from '../errors';

/**
 * Validates a service's input again, whatever the route did: a refusal carries field errors
 * keyed by the input's path (`recommendations.0.youSaid`), as the forms name their fields.
 */
export function parseOrRefuse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    (fieldErrors[issue.path.map(String).join('.')] ??= []).push(issue.message);
  }
  throw new DomainError('invalid', 'Check the form: some fields are not valid.', { fieldErrors });
}

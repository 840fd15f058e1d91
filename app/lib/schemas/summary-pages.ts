import { z } from 'zod';

// The addresses of the public summary pages: a version number in the path, and the two
// versions the changes page compares in its query string.

const NUMBER = /^[1-9]\d{0,5}$/;

/** A version number from the path, or null when it is not one (then the page is a 404). */
export function parseVersionNumber(value: string) {
  return NUMBER.test(value) ? Number(value) : null;
}

const version = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return null;
      if (!NUMBER.test(value)) {
        ctx.addIssue({ code: 'custom', message: `Choose the version to compare ${label}` });
        return z.NEVER;
      }
      return Number(value);
    });

export const SummaryChangesQuerySchema = z.strictObject({
  from: version('from'),
  to: version('with'),
});
export type SummaryChangesQuery = z.infer<typeof SummaryChangesQuerySchema>;

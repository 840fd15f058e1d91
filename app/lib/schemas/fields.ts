import { z } from 'zod';
import { PART_SUFFIXES, joinDateParts, type JoinedDate } from '../date-parts';
import { parseUkInputValue } from '../dates';
import { displayNameProblem } from '../display-names';

/** Required single-line text, trimmed, with messages a person understands. */
export function requiredText(label: string, max: number) {
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, { error: `Enter ${label}` })
    .max(max, {
      error: `${capitalise(label)} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    });
}

/** The name shown beside a person's comments and named responses (see display-names.ts). */
export const displayNameField = requiredText('your name', 100).superRefine((name, ctx) => {
  const problem = displayNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Optional text: an empty box becomes null. */
export function optionalText(label: string, max: number) {
  return z
    .string()
    .trim()
    .max(max, {
      error: `${capitalise(label)} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    })
    .optional()
    .transform((value) => (value ? value : null));
}

export const emailField = z
  .string({ error: 'Enter your email address' })
  .trim()
  .toLowerCase()
  .min(1, { error: 'Enter your email address' })
  .max(254, { error: 'Email address must be 254 characters or fewer' })
  .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.com' }));

export const slugField = z
  .string({ error: 'Enter a web address' })
  .trim()
  .toLowerCase()
  .min(1, { error: 'Enter a web address' })
  .max(80, { error: 'Web address must be 80 characters or fewer' })
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    error: 'Web address can only use lowercase letters, numbers and single hyphens',
  });

/** A number sent by a form field or hidden input. */
export const versionField = z.coerce
  .number({ error: 'Reload the page and try again' })
  .int()
  .min(1);

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Reads the day, month and year boxes (and time box) of the named date fields into one value
 * each before `schema` sees the form (see `lib/date-parts.ts`). A value sent whole (a filter
 * link's `from=2026-12-01`) is read as it is.
 */
export function withDateParts<S extends z.ZodType>(fields: Record<string, boolean>, schema: S) {
  return z.preprocess((input) => {
    if (!input || typeof input !== 'object') return input;
    const out: Record<string, unknown> = { ...input };
    for (const [name, withTime] of Object.entries(fields)) {
      const keys = PART_SUFFIXES.map((suffix) => `${name}${suffix}`);
      if (!keys.some((key) => key in out)) continue;
      const part = (suffix: string) => {
        const value = out[`${name}${suffix}`];
        return typeof value === 'string' ? value : '';
      };
      out[name] = joinDateParts(
        { day: part('Day'), month: part('Month'), year: part('Year'), time: part('Time') },
        withTime,
      );
      for (const key of keys) delete out[key];
    }
    return out;
  }, schema);
}

const DATE_EXAMPLE = 'like 27 3 2026';
const TIME_EXAMPLE = 'like 17:00 or 5pm';

/** The joined text, '' when every box is empty, or null after reporting what is missing. */
function readDateParts(input: unknown, label: string, ctx: z.RefinementCtx): string | null {
  const joined: JoinedDate =
    input === undefined || typeof input === 'string'
      ? { ok: true, value: (input ?? '').trim() }
      : (input as JoinedDate);
  if (joined.ok) return joined.value;
  ctx.addIssue({
    code: 'custom',
    message:
      joined.missing.length > 0
        ? `${capitalise(label)} must include a ${joined.missing.join(' and a ')}`
        : `Enter a real ${label}, ${DATE_EXAMPLE}`,
  });
  return null;
}

/** A field read from date boxes: empty is null; `read` turns the joined text into the value. */
function datePartsField<T>(label: string, read: (value: string, ctx: z.RefinementCtx) => T) {
  return z
    .unknown()
    .optional()
    .transform((input, ctx) => {
      const value = readDateParts(input, label, ctx);
      if (value === null) return z.NEVER;
      return value ? read(value, ctx) : null;
    });
}

/** A UK date and time typed in day, month, year and time boxes; empty is null. */
export function ukDateTimeField(label: string) {
  return datePartsField(label, (value, ctx) => {
    const date = parseUkInputValue(value);
    if (date) return date;
    ctx.addIssue({
      code: 'custom',
      message: `Enter a real ${label}: a date ${DATE_EXAMPLE} and a time ${TIME_EXAMPLE}`,
    });
    return z.NEVER;
  });
}

/** A calendar day typed in day, month and year boxes (or sent as 2026-12-01); empty is null. */
export function ukDateField(label: string) {
  return datePartsField(label, (value, ctx) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value) && parseUkInputValue(`${value}T12:00`)) return value;
    ctx.addIssue({ code: 'custom', message: `Enter a real ${label}, ${DATE_EXAMPLE}` });
    return z.NEVER;
  });
}

/**
 * The key a form carries from the page that showed it, so that sending the same form twice (a
 * double click, "Try again" after an error) is one action. Optional: a page shown before keys
 * existed still saves, without that guarantee.
 */
export const idempotencyKeyField = z.uuid({ error: 'Reload the page and try again' }).optional();

/**
 * A password being chosen (NIST SP 800-63B): at least 10 characters (more than NIST's 8, as
 * before) and up to 256 (NIST asks for 64 at least), counted in characters as people see them;
 * any character, spaces and emoji too, and no rules about character kinds. It is not trimmed:
 * every character typed counts. The common-password and own-name checks need the server's list,
 * so they live in app/.server/auth/password-rules.ts.
 */
export function newPasswordField(missing: string) {
  return z
    .string({ error: missing })
    .min(1, { error: missing, abort: true })
    .refine((value) => [...value.normalize('NFKC')].length >= 10, {
      error: 'Password must be at least 10 characters',
      abort: true,
    })
    .refine((value) => [...value.normalize('NFKC')].length <= 256, {
      error: 'Password must be 256 characters or fewer',
    });
}

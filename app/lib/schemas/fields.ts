import { z } from 'zod';

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

import { z } from 'zod';
import { SEGMENTS } from '../enums';
import { displayNameField, emailField, newPasswordField, optionalText } from './fields';
export * from '../forms/accounts';

// Control characters (TAB, CR and LF included: browsers drop them from URLs, so "/\t/evil"
// becomes "//evil"), invisible and format characters (U+200B, U+FEFF, bidi marks…), spaces
// other than U+0020, and backslashes, which browsers read as "/".
const UNSAFE_IN_REDIRECT =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u115f\u1160\u3164\uffa0\\]/u;
const REDIRECT_BASE = 'http://redirect-check.invalid';

function isSafeRedirectText(value: string) {
  if (!value.startsWith('/') || value.startsWith('//')) return false;
  return !UNSAFE_IN_REDIRECT.test(value);
}

/**
 * The same-origin path (path, search and hash, normalised) that `value` leads to, or "/" when it
 * could lead anywhere else or looks as if it tries to. The value and its percent-decoded forms
 * ("%2f%2f", "%5c", "%09", and doubly encoded ones) are checked, then it is parsed against a
 * fixed origin, and the normalised path must still be on that origin and not start with "//"
 * ("/.//evil" and "/%2e%2e//evil" normalise to that). Never throws.
 */
export function safeRedirectPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) return '/';
  try {
    let decoded = value;
    for (let round = 0; round < 3; round++) {
      if (!isSafeRedirectText(decoded)) return '/';
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    }
    if (!isSafeRedirectText(decoded)) return '/';
    const url = new URL(value, REDIRECT_BASE);
    if (url.origin !== REDIRECT_BASE || url.username || url.password) return '/';
    const path = `${url.pathname}${url.search}${url.hash}`;
    return isSafeRedirectText(path) ? path : '/';
  } catch {
    // Malformed percent-encoding: nothing a link on this site would send.
    return '/';
  }
}

/** Where to go after signing in: only paths on this site. */
export const safeRedirect = z.string().optional().transform(safeRedirectPath);

export const SignUpSchema = z
  .strictObject({
    email: emailField,
    password: newPasswordField('Enter a password'),
    displayName: displayNameField,
    organisation: optionalText('organisation', 200),
    segment: z.enum(SEGMENTS, { error: 'Select which best describes you' }),
    segmentOther: optionalText('description', 100),
    redirectTo: safeRedirect,
  })
  .superRefine((value, ctx) => {
    if (value.segment === 'other' && !value.segmentOther) {
      ctx.addIssue({
        code: 'custom',
        path: ['segmentOther'],
        message: 'Describe how you would like to be counted',
      });
    }
  })
  .transform((value) => ({
    ...value,
    segmentOther: value.segment === 'other' ? value.segmentOther : null,
  }));
export type SignUpInput = z.infer<typeof SignUpSchema>;

export const SignInSchema = z.strictObject({
  email: emailField,
  password: z
    .string({ error: 'Enter your password' })
    .min(1, { error: 'Enter your password' })
    .max(256, { error: 'Password must be 256 characters or fewer' }),
  redirectTo: safeRedirect,
});
export type SignInInput = z.infer<typeof SignInSchema>;

import { expect, test } from 'vitest';
import { safeRedirect, safeRedirectPath, SignInSchema } from '~/lib/schemas/accounts';

/**
 * Open-redirect payloads, after PayloadsAllTheThings ("Open URL Redirect", its filter-bypass
 * list) adapted to a redirect target that must be a path on this site, with evil.example as the
 * attacker's host. Each must fall back to "/".
 */
const PAYLOADS = [
  'https://evil.example',
  'http://evil.example/',
  'http:evil.example',
  'https:/evil.example',
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '//evil.example/%2f..',
  '//evil.example@good.example',
  '//good.example@evil.example',
  '//evil.example:80/',
  '/\\evil.example',
  '/\\/evil.example',
  '\\/\\/evil.example',
  '\\\\evil.example',
  '/\\\\evil.example',
  '///\\;@evil.example',
  '/%09/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\r\n/evil.example',
  '/%0a/evil.example',
  '/%0d/evil.example',
  '/%0d%0aLocation:%20https://evil.example',
  '/\u0000/evil.example',
  '/%00/evil.example',
  '/%2f%2fevil.example',
  '/%2F/evil.example',
  '/%2f/evil.example',
  '/%5cevil.example',
  '/%5C%5Cevil.example',
  '/%252f%252fevil.example',
  '/%25%32%66%25%32%66evil.example',
  '/.//evil.example',
  '/..//evil.example',
  '/../\\evil.example',
  '/%2e%2e//evil.example',
  '/%2e//evil.example',
  '/\u200b/evil.example',
  '/\u200b//evil.example',
  '\u200b//evil.example',
  '/%E2%80%8B/evil.example',
  '/\ufeff/evil.example',
  '/\u2028/evil.example',
  '/\u202e/evil.example',
  '/\u00a0/evil.example',
  '/\u0085/evil.example',
  '/\u007f/evil.example',
  ' //evil.example',
  '\t//evil.example',
  'evil.example',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  '/%zz',
  '/%',
  `/${'a'.repeat(3000)}`,
];

const LEGITIMATE = [
  '/',
  '/organise',
  '/consultations/x?tab=1#y',
  '/consultations/hidden-in-plain-sight/respond?step=2',
  '/consultations/a%20b',
  '/consultations/a%20b?q=two%20words',
  '/search?q=caf%C3%A9&page=2',
  '/consultations/x/recommendations/3#comment-12',
  '/account/email-preferences',
];

test.each(PAYLOADS)('an open-redirect payload falls back to /: %j', (payload) => {
  expect(safeRedirectPath(payload)).toBe('/');
  expect(safeRedirect.parse(payload)).toBe('/');
});

test.each(LEGITIMATE)('a path on this site passes unchanged: %s', (path) => {
  expect(safeRedirectPath(path)).toBe(path);
});

test('a path is returned normalised: dot segments resolved, raw spaces and letters encoded', () => {
  expect(safeRedirectPath('/consultations/./x/../y')).toBe('/consultations/y');
  expect(safeRedirectPath('/consultations/a b')).toBe('/consultations/a%20b');
  expect(safeRedirectPath('/consultations/café')).toBe('/consultations/caf%C3%A9');
});

test('anything that is not a string, or is missing, falls back to / without throwing', () => {
  for (const value of [undefined, null, 42, {}, ['/organise']]) {
    expect(safeRedirectPath(value)).toBe('/');
  }
  expect(safeRedirect.parse(undefined)).toBe('/');
});

test('the sign-in form replaces a NUL in redirectTo with / instead of failing', () => {
  const parsed = SignInSchema.parse({
    email: 'a@example.com',
    password: 'x',
    redirectTo: '/consultations/\u0000',
  });
  expect(parsed.redirectTo).toBe('/');
});

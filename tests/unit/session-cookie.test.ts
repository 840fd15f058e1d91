import { Kysely } from 'kysely';
import { expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { createLucia } from '~/.server/auth/lucia';

// Building a cookie never touches the database, so a Kysely with no dialect work is enough.
const db = {} as Kysely<DB>;

test('in production the session cookie is Secure, HttpOnly and SameSite=Lax', () => {
  const cookie = createLucia(db, true).createSessionCookie('abc').serialize();
  expect(cookie).toMatch(/^oc_session=abc;/);
  expect(cookie).toContain('Secure');
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Lax');
});

test('outside production the cookie is not Secure, so http://localhost works', () => {
  const cookie = createLucia(db, false).createSessionCookie('abc').serialize();
  expect(cookie).not.toContain('Secure');
  expect(cookie).toContain('HttpOnly');
});

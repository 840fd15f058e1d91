import { afterAll, beforeAll, expect, test } from 'vitest';
import { Visitor } from '#tests/support/http-client';
import { linkInEmail } from '#tests/support/outbox';
import { startServer, type TestServer } from '#tests/support/server';
import { DEMO_ACCOUNTS } from '#tests/support/accounts';

// Password guessing at the speed of a script: many guesses at once (they must take turns, not
// race past the count), a lockout the real owner can always undo, and an address limit that
// catches one client trying many accounts without shutting out an office behind one address.
// The server trusts one proxy hop, so each test speaks from addresses of its own.

let server: TestServer;
const FULL = process.env.SECURITY === 'full';
/** Free attempts per account (SIGN_IN_ATTEMPTS_PER_ACCOUNT) and failures per address. */
const PER_ACCOUNT = 5;
const PER_ADDRESS = 100;

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY_HOPS: '1' });
});
afterAll(async () => {
  await server?.stop();
});

function signInFrom(address: string, email: string, password: string) {
  return new Visitor(server.url).post(
    '/login',
    { email, password, redirectTo: '/' },
    { headers: { 'X-Forwarded-For': address } },
  );
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>(
    (counts, s) => ({ ...counts, [s]: (counts[s] ?? 0) + 1 }),
    {},
  );

test('simultaneous wrong passwords for one account: at most five are checked, and the owner gets in by resetting', async () => {
  const email = 'bea.brute@attack.test';
  await Visitor.signUp(server.url, { name: 'Bea Brute', email });
  const guesses = FULL ? 200 : 40;

  const responses = await Promise.all(
    Array.from({ length: guesses }, (_, i) =>
      signInFrom('198.51.100.7', email, `not the password ${i}`),
    ),
  );
  const statuses = responses.map((r) => r.status);
  // A wrong password is answered with the form again (400); a wait with 429.
  const checked = statuses.filter((s) => s !== 429);
  expect(tally(statuses), 'no guess signs in').not.toHaveProperty('302');
  expect(
    checked.length,
    `checked of ${guesses}: ${JSON.stringify(tally(statuses))}`,
  ).toBeLessThanOrEqual(PER_ACCOUNT);
  expect(checked.length, 'the limit lets some through').toBeGreaterThan(0);
  const refused = responses.find((r) => r.status === 429)!;
  expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
  const page = await refused.text();
  expect(page).toContain('Too many wrong passwords for this account');
  expect(page).toContain('/account/forgot-password');

  // Even the right password waits its turn now, from any address…
  const rightButLocked = await signInFrom('192.0.2.50', email, 'a long enough password');
  expect(rightButLocked.status).toBe(429);

  // …until the owner resets it through the emailed link, which clears the count.
  const forgot = await new Visitor(server.url).post('/account/forgot-password', { email });
  expect(forgot.status).toBeLessThan(400);
  const link = new URL(await linkInEmail(server.url, email, '/account/reset-password'));
  const reset = await new Visitor(server.url).post('/account/reset-password', {
    token: link.searchParams.get('token')!,
    password: 'a brand new passphrase',
  });
  expect(reset.status, await reset.clone().text()).toBe(302);
  const signedIn = await signInFrom('192.0.2.50', email, 'a brand new passphrase');
  expect(signedIn.status).toBe(302);
});

test("one account's guesses do not lock anyone else out of the same address", async () => {
  const office = '198.51.100.20';
  const target = 'cai.target@attack.test';
  await Visitor.signUp(server.url, { name: 'Cai Target', email: target });
  await Promise.all(
    Array.from({ length: 30 }, (_, i) => signInFrom(office, target, `guess number ${i}`)),
  );
  expect((await signInFrom(office, target, 'guess number 31')).status).toBe(429);
  // A colleague behind the same address signs in at once.
  expect(
    (await signInFrom(office, DEMO_ACCOUNTS.investor.email, DEMO_ACCOUNTS.investor.password))
      .status,
  ).toBe(302);
});

test('one address trying many accounts is stopped at the address limit; other addresses are not', async () => {
  const stuffer = '203.0.113.99';
  // Addresses with no account: each failure still counts against the address that sent it.
  const tries = PER_ADDRESS + (FULL ? 60 : 20);
  const statuses: number[] = [];
  // In waves, as a script with a connection pool would send them.
  for (let start = 0; start < tries; start += 20) {
    const wave = await Promise.all(
      Array.from({ length: Math.min(20, tries - start) }, (_, i) =>
        signInFrom(stuffer, `victim${start + i}@stuffing.test`, 'Winter2026!'),
      ),
    );
    statuses.push(...wave.map((r) => r.status));
  }
  const checked = statuses.filter((s) => s !== 429).length;
  expect(checked, JSON.stringify(tally(statuses))).toBeLessThanOrEqual(PER_ADDRESS);
  expect(checked).toBeGreaterThan(PER_ADDRESS / 2);
  const last = await signInFrom(
    stuffer,
    DEMO_ACCOUNTS.founder.email,
    DEMO_ACCOUNTS.founder.password,
  );
  expect(last.status).toBe(429);
  expect(await last.text()).toContain('Too many failed sign-ins from this network');
  // Anyone else signs in as usual.
  expect(
    (await signInFrom('192.0.2.77', DEMO_ACCOUNTS.founder.email, DEMO_ACCOUNTS.founder.password))
      .status,
  ).toBe(302);
});

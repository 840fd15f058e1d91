import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServer, type TestServer } from '#tests/support/server';

// /.well-known/security.txt (RFC 9116): how to report a vulnerability, for people and scanners.
// One server on the defaults, one with every setting given.

const DAY_MS = 24 * 60 * 60 * 1000;
let plain: TestServer;
let configured: TestServer;

beforeAll(async () => {
  [plain, configured] = await Promise.all([
    startServer(),
    startServer({
      SECURITY_CONTACT: 'mailto:security@example.org',
      SECURITY_POLICY_URL: 'https://example.org/security-policy',
      APP_URL: 'https://consult.example.org',
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain?.stop(), configured?.stop()]);
});

/** The file's fields by name (RFC 9116 §2.4: `Name: value`, one a line). */
async function fetchSecurityTxt(baseUrl: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/.well-known/security.txt`, { headers });
  const body = await response.text();
  const fields = new Map<string, string[]>();
  for (const line of body.split('\n').filter(Boolean)) {
    const match = /^([A-Za-z-]+): (.+)$/.exec(line);
    expect(match, `a field line: ${line}`).not.toBeNull();
    fields.set(match![1]!, [...(fields.get(match![1]!) ?? []), match![2]!]);
  }
  return { response, body, fields };
}

test('security.txt on the defaults: plain text, the contact page as Contact, a year of validity, English, its own address, no Policy', async () => {
  const before = Date.now();
  const { response, body, fields } = await fetchSecurityTxt(plain.url);
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
  expect(body.endsWith('\n')).toBe(true);

  expect(fields.get('Contact')).toEqual([`${plain.url}/contact`]);
  // The contact it names is a page that answers.
  expect((await fetch(`${plain.url}/contact`)).status).toBe(200);

  const expires = fields.get('Expires') ?? [];
  expect(expires).toHaveLength(1);
  expect(expires[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  const expiresAt = Date.parse(expires[0]!);
  expect(expiresAt).toBeGreaterThanOrEqual(before + 364 * DAY_MS);
  expect(expiresAt).toBeLessThanOrEqual(Date.now() + 366 * DAY_MS);

  expect(fields.get('Preferred-Languages')).toEqual(['en']);
  expect(fields.get('Canonical')).toEqual([`${plain.url}/.well-known/security.txt`]);
  expect(fields.has('Policy')).toBe(false);
  expect([...fields.keys()].sort()).toEqual(
    ['Canonical', 'Contact', 'Expires', 'Preferred-Languages'].sort(),
  );
});

test('security.txt with SECURITY_CONTACT, SECURITY_POLICY_URL and APP_URL set names them, whatever Host the request gives', async () => {
  const { response, fields } = await fetchSecurityTxt(configured.url, {
    Host: 'evil.example',
  });
  expect(response.status).toBe(200);
  expect(fields.get('Contact')).toEqual(['mailto:security@example.org']);
  expect(fields.get('Policy')).toEqual(['https://example.org/security-policy']);
  expect(fields.get('Canonical')).toEqual(['https://consult.example.org/.well-known/security.txt']);
  expect(fields.get('Preferred-Languages')).toEqual(['en']);
  expect(Date.parse(fields.get('Expires')![0]!)).toBeGreaterThan(Date.now() + 364 * DAY_MS);
});

test('a SECURITY_CONTACT that is not a mailto:, https:// or tel: URI stops the server at start', async () => {
  // The control is `configured` above: it started with a mailto: contact. A setting other than
  // the default demo's skips copying the seeded folder, as the server stops while reading its
  // settings, before it opens any database.
  const settings = { SECURITY_CONTACT: 'javascript:alert(1)', SEED_RESPONSES: '0' };
  await expect(startServer(settings)).rejects.toThrow(
    /SECURITY_CONTACT must be a mailto:, https:\/\/ or tel: URI/,
  );
});

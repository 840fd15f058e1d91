import http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServer, type TestServer } from '#tests/support/server';

// With APP_URL set, server.js accepts a form post only from that exact origin (scheme, host and
// port) and only when the host asked for, as a proxy passes it on (X-Forwarded-Host, else Host),
// is that origin's host. The same host over plain http is another origin (a network attacker can
// serve it). A post whose Origin the app would accept but whose Host does not match (a proxy that
// rewrites Host) is refused at the edge with a 403 rather than failing in Remix's own check with a
// 500. (csrf.security.test.ts covers the demo's rule, with no APP_URL, across every route.)

const SITE = 'https://consult.example.org';
const CROSS_SITE = 'Cross-site form submissions are not accepted.';
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ APP_URL: SITE });
}, 120_000);
afterAll(() => server?.stop());

/** POST /login with the given headers; node:http, since fetch may not set Host. */
function postLogin(headers: Record<string, string>) {
  const body = new URLSearchParams({
    email: 'nobody@origin.test',
    password: 'not-the-password-2026',
  }).toString();
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      `${server.url}/login`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.setTimeout(30_000, () => request.destroy(new Error('POST /login timed out')));
    request.end(body);
  });
}

test('a post from APP_URL’s origin through a proxy that passes the host reaches the app', async () => {
  const ways: Record<string, string>[] = [
    { Host: 'consult.example.org', Origin: SITE },
    { Host: 'consult.example.org', Referer: `${SITE}/login` },
    { 'X-Forwarded-Host': 'consult.example.org', Origin: SITE },
  ];
  for (const headers of ways) {
    const { status, body } = await postLogin(headers);
    expect(body, JSON.stringify(headers)).not.toContain(CROSS_SITE);
    // The app itself answers: wrong credentials are a form error (422), not a refusal at the edge.
    expect(status, JSON.stringify(headers)).toBe(422);
  }
});

test('another scheme, port or host is refused, and so is APP_URL’s origin with another Host', async () => {
  const listening = new URL(server.url).origin;
  const ways: Record<string, string>[] = [
    { Host: 'consult.example.org', Origin: 'http://consult.example.org' },
    { Host: 'consult.example.org:8443', Origin: 'https://consult.example.org:8443' },
    { Host: 'evil.consult.example.org', Origin: 'https://evil.consult.example.org' },
    // The address the server listens on is not the site, even though the Host matches it.
    { Origin: listening },
    // A proxy that rewrites Host: Remix's own check would fail this with a 500.
    { Origin: SITE },
  ];
  for (const headers of ways) {
    const { status, body } = await postLogin(headers);
    expect(status, JSON.stringify(headers)).toBe(403);
    expect(body, JSON.stringify(headers)).toBe(CROSS_SITE);
  }
});

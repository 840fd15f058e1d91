import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { expectAccessible, launchBrowser, newPage } from '#tests/support/browser';
import { createCast, startFixtureServer, type Cast } from '#tests/support/fixtures';
import { startServer, type TestServer } from '#tests/support/server';

let server: TestServer;
/** A consultation to open and an account to sign in with. */
let cast: Cast;
// Only the last tests need a browser: it is launched there.
let browser: Browser | undefined;

beforeAll(async () => {
  ({ server, fixtures: cast } = await startFixtureServer((db) => createCast(db)));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The sign-in form of the cast's founder, going on to the home page. */
function signInForm() {
  const { email, password } = cast.founder;
  return new URLSearchParams({ email, password, redirectTo: '/' }).toString();
}

/** What the page must never show: a stack trace or a path on the server. */
function expectNoServerInternals(body: string) {
  expect(body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/work\/|\/tmp\/|file:\/\/|Error:/);
}

/** One request over a raw socket, so nothing on our side normalises the target first. */
function rawRequest(lines: string[]): Promise<{ status: number; head: string; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      resolve({ status: Number(head.split(' ')[1]), head, body });
    });
    socket.on('error', reject);
    socket.write([...lines, 'Connection: close', '', ''].join('\r\n'));
  });
}

test('a NUL, a control character or broken encoding in the address gets the 400 page, never a 500 or a stack', async () => {
  const targets = [
    '/consultations/%00',
    '/%ff',
    '/consultations/%zz',
    '/consultations/a%0d%0aSet-Cookie:%20x=1',
    '/consultations/%09x',
    '/consultations/%7f',
    '/consultations/%c2%85',
    '/consultations/%c3',
    '/?q=%00',
    '/login?redirectTo=/%09/evil.example',
    '/consultations?x=%e2%82',
  ];
  for (const target of targets) {
    const response = await rawRequest([`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1']);
    expect(response.status, target).toBe(400);
    expect(response.head).toMatch(/^Cache-Control: no-store$/im);
    expect(response.head).toMatch(/^Content-Type: text\/html/im);
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain(
      '<title>This address cannot be opened · Open Consultation</title>',
    );
    expect(response.body).toContain('<a href="/">Go to the home page</a>');
    expectNoServerInternals(response.body);
  }
});

test('well-formed encoded addresses still reach the site', async () => {
  const accented = await fetch(`${server.url}/consultations/caf%C3%A9`);
  expect(accented.status).toBe(404);
  const spaced = await fetch(`${server.url}/consultations?q=two%20words`);
  expect(spaced.status).toBe(200);
});

test('an error no route handles gets the plain 500 page without a stack, even in development mode', async () => {
  // A Host header the URL parser refuses fails inside the Remix adapter, before any route.
  const response = await rawRequest(['GET /consultations HTTP/1.1', 'Host: bad host']);
  expect(response.status).toBe(500);
  expect(response.head).toMatch(/^Cache-Control: no-store$/im);
  expect(response.body).toContain('Sorry, something went wrong');
  expect(response.body).toMatch(/Reference: [0-9a-f-]{36}/);
  expectNoServerInternals(response.body);
  expect(server.output()).toContain('"message":"request failed"');
});

type Answer = { status: number; body: string; error?: string };

/** A 1 MB form post, declared or chunked, sent the way a script or a proxy might send it. */
function postLargeBody(chunked: boolean): Promise<Answer> {
  const body = Buffer.alloc(1024 * 1024, 'a');
  return new Promise((resolve) => {
    const req = http.request(`${server.url}/login`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': body.length }),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', (error) =>
        resolve({ status: res.statusCode!, body: text, error: String(error) }),
      );
    });
    req.on('error', (error) => resolve({ status: 0, body: '', error: String(error) }));
    if (chunked) {
      for (let at = 0; at < body.length; at += 16 * 1024)
        req.write(body.subarray(at, at + 16 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

test('a 1 MB body, declared or chunked, gets the 413 page naming the limit, not a reset', async () => {
  for (const chunked of [false, true]) {
    const answer = await postLargeBody(chunked);
    expect(answer.error, chunked ? 'chunked' : 'declared').toBeUndefined();
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('at most 256 kB');
    expect(answer.body).toContain('<title>What you sent is too large · Open Consultation</title>');
    expectNoServerInternals(answer.body);
  }
});

test('a small chunked form post still works: signing in lands where it should', async () => {
  const form = new URLSearchParams({
    email: cast.founder.email,
    password: cast.founder.password,
    redirectTo: '/consultations',
  }).toString();
  const status = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
    const req = http.request(`${server.url}/login`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Transfer-Encoding': 'chunked',
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode!, location: res.headers.location });
    });
    req.on('error', reject);
    req.write(form.slice(0, 10));
    req.end(form.slice(10));
  });
  expect(status).toEqual({ status: 302, location: '/consultations' });
});

test('signing in with a redirectTo that hides a tab lands on the home page, without JavaScript', async () => {
  // The value "/%09/evil.example" itself, encoded once as a link would carry it.
  const login = await fetch(
    `${server.url}/login?redirectTo=${encodeURIComponent('/%09/evil.example')}`,
  );
  expect(login.status).toBe(200);
  const page = await login.text();
  const redirectTo = /name="redirectTo" value="([^"]*)"/.exec(page)?.[1];
  expect(redirectTo).toBe('/');

  const signIn = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      email: cast.founder.email,
      password: cast.founder.password,
      redirectTo: '/%09/evil.example',
    }),
  });
  expect(signIn.status).toBe(302);
  expect(signIn.headers.get('location')).toBe('/');
});

test('every page refuses powerful features, and a signed-in page is never cached', async () => {
  const publicPage = await fetch(`${server.url}/consultations/${cast.consultation.slug}`);
  expect(publicPage.headers.get('permissions-policy')).toMatch(/camera=\(\).*geolocation=\(\)/);
  expect(publicPage.headers.get('cache-control') ?? '').not.toContain('no-store');

  const signIn = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
    body: signInForm(),
  });
  const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
  for (const path of [`/consultations/${cast.consultation.slug}`, '/account/responses']) {
    const page = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } });
    expect(page.status, path).toBe(200);
    expect(page.headers.get('cache-control'), path).toBe('private, no-store');
  }
  // The same for the data a page fetches with JavaScript on.
  const data = await fetch(`${server.url}/account/responses.data`, { headers: { Cookie: cookie } });
  expect(data.headers.get('cache-control')).toBe('private, no-store');
});

test('a form post from a hidden origin or another site, by Origin or only by Referer, is refused', async () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: '',
    });
  expect((await post({ Origin: 'null' })).status).toBe(403);
  expect((await post({ Referer: 'https://evil.example/page' })).status).toBe(403);
  expect((await post({ Origin: 'https://evil.example' })).status).toBe(403);
  expect((await post({ Origin: server.url })).status).not.toBe(403);
  expect((await post({ Referer: `${server.url}/account` })).status).not.toBe(403);
});

test('scripts run only from the site or with the nonce of their own response', async () => {
  const first = await fetch(`${server.url}/consultations/${cast.consultation.slug}`);
  const policy = first.headers.get('content-security-policy') ?? '';
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  // Every script element Remix rendered carries it; the next response has another.
  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  const second = await fetch(`${server.url}/consultations/${cast.consultation.slug}`);
  expect(second.headers.get('content-security-policy')).not.toContain(nonce);
  // The edge's own pages carry it too, and their inline style is allowed by its hash.
  const refused = await rawRequest(['GET /%00 HTTP/1.1', `Host: ${new URL(server.url).host}`]);
  expect(refused.head.toLowerCase()).toContain('content-security-policy:');

  // In a browser the app hydrates (the sign-in link works without a reload), while a script
  // injected without the nonce does not run.
  browser ??= await launchBrowser();
  const page = await newPage(browser);
  await page.goto(`${server.url}/consultations/${cast.consultation.slug}`);
  await page.waitForFunction(() => '__remixRouter' in window);
  const injected = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injectedRan = true';
    document.body.append(script);
    return (window as { injectedRan?: boolean }).injectedRan ?? false;
  });
  expect(injected).toBe(false);
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await page.waitForURL(/\/login/);
  await page.context().close();
});

test('a signed-in post that says neither where it came from needs the form token of its page', async () => {
  const signIn = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
    body: signInForm(),
  });
  const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
  const page = await (await fetch(`${server.url}/logout`, { headers: { Cookie: cookie } })).text();
  const token = /name="_token" value="([^"]+)"/.exec(page)?.[1];
  expect(token, 'the sign-out form carries the token').toBeDefined();
  const signOut = (body: string) =>
    fetch(`${server.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body,
    });
  const withoutToken = await signOut('');
  expect(withoutToken.status).toBe(403);
  expect(await withoutToken.text()).toContain('We could not check that this form came from');
  expect((await signOut(`_token=${'A'.repeat(token!.length)}`)).status).toBe(403);
  // Still signed in after both refusals; the page's own token signs out.
  expect(
    (
      await fetch(`${server.url}/account/responses`, {
        headers: { Cookie: cookie },
        redirect: 'manual',
      })
    ).status,
  ).toBe(200);
  expect((await signOut(`_token=${encodeURIComponent(token!)}`)).status).toBe(302);
  expect(
    (
      await fetch(`${server.url}/account/responses`, {
        headers: { Cookie: cookie },
        redirect: 'manual',
      })
    ).status,
  ).toBe(302);
});

/** Sends `head` at once, then one byte of `drip` every 100 ms; resolves with what came back and when. */
function trickle(url: string, head: string, drip: string) {
  const { port } = new URL(url);
  const started = Date.now();
  return new Promise<{ status: number; seconds: number }>((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let text = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < drip.length && !socket.destroyed) socket.write(drip[sent++]!);
    }, 100);
    socket.setEncoding('utf8');
    const answered = () => ({
      status: Number(text.split(' ')[1]),
      seconds: (Date.now() - started) / 1000,
    });
    socket.on('data', (chunk: string) => {
      text += chunk;
      // Answered: a byte more would meet a closed socket, and the reset hide the answer.
      clearInterval(timer);
    });
    socket.on('close', () => {
      clearInterval(timer);
      resolve(answered());
    });
    // The server cuts the connection after its answer: a reset then still has the answer.
    socket.on('error', (error) => (text.startsWith('HTTP/') ? resolve(answered()) : reject(error)));
    socket.write(head);
  });
}

test('a client that trickles its headers or its body is answered 408 and cut at the limit', async () => {
  const slowLimits = await startServer({
    SEED_DEMO: 'false',
    REQUEST_TIMEOUT_MS: '2000',
    HEADERS_TIMEOUT_MS: '1000',
  });
  try {
    const host = `Host: ${new URL(slowLimits.url).host}\r\n`;
    const body = await trickle(
      slowLimits.url,
      `POST /login HTTP/1.1\r\n${host}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n`,
      'e'.repeat(5000),
    );
    expect(body.status).toBe(408);
    // The limit, plus at most the one-second check interval and some slack for a busy machine.
    expect(body.seconds).toBeGreaterThanOrEqual(1.9);
    expect(body.seconds).toBeLessThan(5);
    const headers = await trickle(
      slowLimits.url,
      `GET / HTTP/1.1\r\n${host}`,
      'X-Slow: '.padEnd(500, 'x'),
    );
    expect(headers.status).toBe(408);
    expect(headers.seconds).toBeLessThan(4);
  } finally {
    await slowLimits.stop();
  }
});

test('the 400 and 413 pages pass axe and look like the site', async () => {
  browser = await launchBrowser();
  const page = await newPage(browser, { javaScript: true });
  const bad = await page.goto(`${server.url}/consultations/%00`);
  expect(bad?.status()).toBe(400);
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent())
    .toBe('This address cannot be opened');
  const headerColour = await page
    .locator('.site-header')
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(headerColour).toBe('rgb(11, 37, 69)');
  await expectAccessible(page);

  // A real form post from the page, too large to accept.
  await page.goto(`${server.url}/login`);
  const tooLarge = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.evaluate(() => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/login';
    const field = document.createElement('input');
    field.name = 'email';
    field.value = 'a'.repeat(300 * 1024);
    form.append(field);
    document.body.append(form);
    form.submit();
  });
  expect((await tooLarge).status()).toBe(413);
  await page.waitForLoadState();
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent())
    .toBe('What you sent is too large');
  await expectAccessible(page);
  await page.context().close();
});

/** A GET whose body is read as sent (fetch would decompress it). */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

test('scripts and styles are sent precompressed (brotli, else gzip, else as they are) and cached for a year', async () => {
  const home = await (await fetch(server.url)).text();
  const assets = [...home.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1]!,
  );
  expect(assets.length).toBeGreaterThan(1);
  let compressed = 0;
  for (const asset of assets.slice(0, 4)) {
    const plain = await rawGet(asset, { 'Accept-Encoding': 'identity' });
    expect(plain.headers['content-encoding'], asset).toBeUndefined();
    expect(plain.headers['cache-control'], asset).toBe('public, max-age=31536000, immutable');
    const brotli = await rawGet(asset, { 'Accept-Encoding': 'gzip, deflate, br' });
    const gzip = await rawGet(asset, { 'Accept-Encoding': 'gzip' });
    // Files under 1 kB are not worth compressing and go as they are.
    if (plain.body.length < 1024) continue;
    expect(brotli.headers['content-encoding'], asset).toBe('br');
    expect(brotli.headers.vary, asset).toMatch(/Accept-Encoding/i);
    expect(zlib.brotliDecompressSync(brotli.body).equals(plain.body), asset).toBe(true);
    expect(gzip.headers['content-encoding'], asset).toBe('gzip');
    expect(zlib.gunzipSync(gzip.body).equals(plain.body), asset).toBe(true);
    expect(brotli.body.length).toBeLessThan(plain.body.length);
    compressed++;
  }
  expect(compressed).toBeGreaterThan(0);
});

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, MODES } from '#tests/support/browser';
import { type Fields, Visitor } from '#tests/support/http-client';
import { appRoutes, type AppRoute } from '#tests/support/routes';
import { startServer, type TestServer } from '#tests/support/server';
import { DEMO_ACCOUNTS, signInInBrowser } from '#tests/support/accounts';

// Cross-site request forgery, on every route that has an action, read from the built route
// table: a route added later is attacked too, and a `:param` nobody can fill fails the suite
// with its name. The defences (server.js, app/.server/http.ts and form-token.ts):
// - server.js refuses any POST whose Origin, or when there is none its Referer, is not this
//   host: 403 text/plain "Cross-site form submissions are not accepted." (Origin: null too);
// - a signed-in POST with neither header must carry `_token` (derived from the session), or the
//   action refuses it: a 403 page saying "We could not check that this form came from this site".
// Any other 403 (not allowed to) is not a CSRF refusal, and the positive controls tell them apart.

let server: TestServer;
let browser: Browser | undefined;
const SLUG = 'hidden-in-plain-sight';
const EVIL = 'https://evil.example';
const CROSS_SITE = 'Cross-site form submissions are not accepted.';
const UNCHECKED = 'We could not check that this form came from this site';

type Actor = 'organiser' | 'moderator' | 'founder' | 'fresh' | 'leaver';
const visitors = {} as Record<Actor, Visitor>;
/** Filled in beforeAll from the demo seed or from what the test makes. */
const params: Record<string, string> = { slug: SLUG };

beforeAll(async () => {
  server = await startServer();
  visitors.organiser = await Visitor.signIn(server.url, DEMO_ACCOUNTS.organiser);
  visitors.moderator = await Visitor.signIn(server.url, DEMO_ACCOUNTS.moderator);
  visitors.founder = await Visitor.signIn(server.url, DEMO_ACCOUNTS.founder);
  // An account of its own for the routes whose success would spoil the demo accounts (delete).
  visitors.fresh = await Visitor.signUp(server.url, {
    name: 'Frances Fresh',
    email: 'fresh@csrf.test',
  });
  // Signed out by the positive control of /logout, so nobody else's session is.
  visitors.leaver = await Visitor.signIn(server.url, DEMO_ACCOUNTS.investor);

  const consultation = await text(visitors.founder, `/consultations/${SLUG}`);
  params.recommendation = match(
    consultation,
    new RegExp(`/consultations/${SLUG}/recommendations/([a-z0-9-]+)"`),
    'a recommendation',
  );
  // The founder's own comment: what edit, delete and report act on.
  const page = `/consultations/${SLUG}/recommendations/${params.recommendation}`;
  const posted = await visitors.founder.post(page, {
    intent: 'comment',
    body: 'A comment of the founder’s for the CSRF suite to aim at.',
    parentId: '',
    idempotencyKey: randomUUID(),
  });
  expect(posted.status, 'the founder comments').toBe(302);
  params.commentId = match(posted.headers.get('Location')!, /#comment-([0-9a-f-]{36})/, 'comment');
  const queue = await text(visitors.moderator, `/moderation/${SLUG}/queue`);
  params.item = match(queue, /\/items\/(c\.[0-9a-f-]{36})/, 'a moderation item');
  const account = await visitors.organiser.post('/organise/accounts', {
    email: 'founder@demo.test',
  });
  params.userId = match(
    account.headers.get('Location') ?? '',
    /accounts\/([0-9a-f-]{36})$/,
    'user',
  );
  const requested = await visitors.founder.post('/account/verification', {
    organisation: 'Acme Robotics Ltd',
    role: 'Founder',
    evidence: 'Team page',
    evidenceUrl: 'https://acme.example/team',
  });
  expect(requested.status, 'the founder asks to be verified').toBe(302);
  const requests = await text(visitors.organiser, '/organise/verification');
  params.requestId = match(requests, /\/organise\/verification\/([0-9a-f-]{36})/, 'request');
  // Nobody in the seed has a moderation decision to appeal: the CSRF checks run before the
  // route looks the decision up, and the positive control shows they let it through (404).
  params.decisionId = randomUUID();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function text(visitor: Visitor, path: string) {
  const response = await visitor.get(path);
  expect(response.status, `GET ${path}`).toBe(200);
  return response.text();
}

function match(haystack: string, pattern: RegExp, what: string) {
  const found = pattern.exec(haystack)?.[1];
  if (!found) throw new Error(`setup: no ${what} found (${pattern})`);
  return found;
}

/** The concrete address of a route, or the names of the params nobody can fill. */
function urlOf(route: AppRoute): { path: string } | { missing: string[] } {
  const missing: string[] = [];
  const path = route.pattern
    .split('/')
    .map((part) => {
      if (part === '*') return 'no-such-page';
      if (!part.startsWith(':')) return part;
      const value = params[part.slice(1)];
      if (value === undefined) missing.push(part);
      return value ?? part;
    })
    .join('/');
  return missing.length > 0 ? { missing } : { path };
}

type Plan = {
  as?: Actor;
  /** A form a forger would send: were it accepted, it would change something. */
  form?: () => Fields;
  /**
   * For a route whose accepted post would spoil later cases: what the positive control sends
   * instead (it must still pass the CSRF checks and fail later, on its own terms).
   */
  control?: () => Fields;
  /**
   * Something the forged post would have changed: the same after the four attacks, and (when
   * the control is the forged form itself) changed by the control, so the check is not blind.
   */
  observe?: () => Promise<string>;
  /** No action of ours behind it (the 404 page): only the edge's Origin check applies. */
  notFound?: true;
};

const signedIn = (who: Actor) => async () => {
  const response = await visitors[who].get('/account/profile');
  return `${who} signed in: ${response.status === 200}`;
};

/**
 * Plausible forms for the routes whose effect is easy to see, and for those whose success would
 * break the demo for the rest of the suite. Every other route with an action is attacked with a
 * one-field form by whoever may use it (organisers, moderators, or the founder otherwise): the
 * checks run before the form is read, so the form's shape does not decide the outcome.
 */
const PLANS: Record<string, Plan> = {
  '/*': { notFound: true },
  '/logout': { as: 'leaver', form: () => ({}), observe: signedIn('leaver') },
  '/account/delete': {
    as: 'fresh',
    form: () => ({ password: 'a long enough password', confirm: 'yes' }),
    control: () => ({ password: 'a long enough password' }),
    observe: signedIn('fresh'),
  },
  '/account/profile': { form: () => ({ displayName: 'Forged Name' }) },
  '/account/password': {
    form: () => ({ currentPassword: 'founder-demo-2026', newPassword: 'forged password 123' }),
    control: () => ({}),
  },
  '/account/email': { form: () => ({ email: 'attacker@evil.example' }) },
  '/consultations/:slug/recommendations/:recommendation': {
    form: () => ({
      intent: 'comment',
      body: 'Forged comment from another site',
      parentId: '',
      idempotencyKey: randomUUID(),
    }),
    observe: async () =>
      String(
        (
          await text(
            visitors.founder,
            `/consultations/${SLUG}/recommendations/${params.recommendation}`,
          )
        ).includes('Forged comment from another site'),
      ),
  },
  '/consultations/:slug/recommendations/:recommendation/comments/:commentId/delete': {
    form: () => ({}),
    control: () => ({ unexpected: 'field' }),
  },
  '/consultations/:slug/respond/withdraw': {
    form: () => ({ confirm: 'yes' }),
    control: () => ({}),
  },
  '/organise/:slug/close': { form: () => ({ confirm: 'yes' }), control: () => ({}) },
  '/organise/:slug/team': {
    form: () => ({ intent: 'grant', email: 'investor@demo.test', role: 'organiser' }),
    observe: async () =>
      String(
        (await text(visitors.organiser, `/organise/${SLUG}/team`)).includes('investor@demo.test'),
      ),
  },
  '/organise/accounts/:userId': {
    form: () => ({ intent: 'suspend', reason: 'Forged', length: '7d' }),
    control: () => ({ intent: 'lift', reason: 'Nothing to lift' }),
  },
  // Organisers set the policy; a moderator would be refused for that, not for the forgery.
  '/moderation/:slug/policy': { as: 'organiser' },
  '/moderation/:slug/items/:item': {
    as: 'moderator',
    form: () => ({ intent: 'approve', seenSeq: '0', seenStatus: 'held' }),
    control: () => ({}),
  },
};

function actorFor(route: AppRoute, plan: Plan): Actor {
  if (plan.as) return plan.as;
  if (route.pattern.startsWith('/organise')) return 'organiser';
  if (route.pattern.startsWith('/moderation')) return 'moderator';
  return 'founder';
}

type Attack = { label: string; headers: Record<string, string | undefined> };
const ATTACKS: Attack[] = [
  { label: 'a foreign Origin', headers: { Origin: EVIL } },
  { label: 'Origin: null', headers: { Origin: 'null' } },
  {
    label: 'no Origin and a foreign Referer',
    headers: { Origin: undefined, Referer: `${EVIL}/page` },
  },
  { label: 'neither Origin nor Referer, no _token', headers: { Origin: undefined } },
];

/** Why the response is not a CSRF refusal, or null when it is one (and changed nothing). */
async function notACsrfRefusal(response: Response, attack: Attack) {
  const body = await response.text();
  if (response.status !== 403) return `status ${response.status}`;
  if (response.headers.get('Location')) return `a redirect to ${response.headers.get('Location')}`;
  if (response.headers.getSetCookie().length > 0) return 'it set a cookie';
  if (attack.headers.Origin === undefined && attack.headers.Referer === undefined) {
    return body.includes(UNCHECKED) ? null : `another 403: ${body.slice(0, 120)}`;
  }
  return body === CROSS_SITE ? null : `another 403: ${body.slice(0, 120)}`;
}

async function isCsrfRefusal(response: Response) {
  if (response.status !== 403) return false;
  const body = await response.text();
  return body === CROSS_SITE || body.includes(UNCHECKED);
}

test('the route table has an action route of each family, and every :param can be filled', async () => {
  const routes = (await appRoutes()).filter((r) => r.hasAction);
  expect(routes.length).toBeGreaterThan(30);
  const unfilled = routes.flatMap((route) => {
    const url = urlOf(route);
    return 'missing' in url ? [`${route.pattern}: ${url.missing.join(', ')}`] : [];
  });
  expect(unfilled, 'add these params to the table in beforeAll').toEqual([]);
  const planned = Object.keys(PLANS).filter((p) => !routes.some((r) => r.pattern === p));
  expect(planned, 'PLANS names routes that no longer exist').toEqual([]);
});

test('every action refuses a forged post four ways, changes nothing, and takes the same post from the site', async () => {
  const routes = (await appRoutes()).filter((r) => r.hasAction);
  const failures: string[] = [];
  for (const route of routes) {
    const url = urlOf(route);
    if ('missing' in url) continue; // The test above names them.
    const plan = PLANS[route.pattern] ?? {};
    const visitor = visitors[actorFor(route, plan)];
    const form = plan.form?.() ?? { intent: 'forged' };
    // Read before the control, which for /logout ends the session.
    const token = await formTokenOf(visitor);
    if (!token) {
      // An earlier forgery got through and ended this session (a changed password, say).
      failures.push(`${route.pattern}: ${actorFor(route, plan)} is no longer signed in`);
      continue;
    }
    const before = await plan.observe?.();
    for (const attack of plan.notFound ? ATTACKS.slice(0, 3) : ATTACKS) {
      const response = await visitor.post(url.path, form, { headers: attack.headers });
      const why = await notACsrfRefusal(response, attack);
      if (why) failures.push(`${route.pattern} with ${attack.label}: ${why}`);
    }
    if (plan.notFound) {
      const response = await visitor.post(url.path, form, { headers: { Origin: undefined } });
      if (response.status !== 404) failures.push(`${route.pattern}: ${response.status}, not 404`);
    }
    const after = await plan.observe?.();
    if (after !== before) failures.push(`${route.pattern}: changed (${before} → ${after})`);
    // Positive controls: no headers at all but the page's _token, and the site's own Origin.
    const control = plan.control?.() ?? form;
    const withToken = await visitor.post(
      url.path,
      { ...control, _token: token },
      { headers: { Origin: undefined } },
    );
    if (await isCsrfRefusal(withToken)) failures.push(`${route.pattern}: refused with its _token`);
    const fromSite = await visitor.post(url.path, control);
    if (await isCsrfRefusal(fromSite)) failures.push(`${route.pattern}: refused from the site`);
    if (plan.observe && !plan.control && (await plan.observe()) === before) {
      failures.push(`${route.pattern}: the control changed nothing either (${before})`);
    }
  }
  expect(failures).toEqual([]);
}, 120_000);

/** The form token a page of the site gives this visitor (every post form carries it), or null when signed out. */
async function formTokenOf(visitor: Visitor) {
  const page = await (await visitor.get('/logout')).text();
  return /name="_token" value="([^"]+)"/.exec(page)?.[1] ?? null;
}

test('signed out: cross-site posts to sign in (login CSRF) and to sign up are refused', async () => {
  const anonymous = new Visitor(server.url);
  const signIn = { email: 'investor@demo.test', password: 'investor-demo-2026', redirectTo: '/' };
  const signUp = {
    email: 'forged@csrf.test',
    password: 'a long enough password',
    displayName: 'Fiona Forged',
    organisation: '',
    segment: 'investor',
    segmentOther: '',
    redirectTo: '/',
  };
  for (const [path, form] of [
    ['/login', signIn],
    ['/signup', signUp],
  ] as const) {
    for (const attack of ATTACKS.slice(0, 3)) {
      const response = await anonymous.post(path, form, { headers: attack.headers });
      expect(await notACsrfRefusal(response, attack), `${path} with ${attack.label}`).toBeNull();
      expect(anonymous.cookie, `${path} with ${attack.label} gave no session`).toBeUndefined();
    }
  }
  // Nothing was made: the forged sign-up's address gets the ordinary sign-up (302) from the site.
  const fromSite = await anonymous.post('/signup', signUp);
  expect(fromSite.headers.get('Location')).toBe('/signup/check-email');
  const signedIn = await anonymous.post('/login', signIn);
  expect(signedIn.status).toBe(302);
  expect(anonymous.cookie).toBeDefined();
});

test('GET /logout only shows a page with the sign-out button: the session survives it', async () => {
  const founder = visitors.founder;
  const page = await founder.get('/logout');
  expect(page.status).toBe(200);
  expect(page.headers.getSetCookie()).toEqual([]);
  expect(await page.text()).toContain('Sign out');
  expect((await founder.get('/account/profile')).status).toBe(200);
});

/**
 * The attacker's site: another port on 127.0.0.1 is another origin, but the same site, so the
 * SameSite=Lax session cookie IS sent with its cross-origin POST navigations. What stops these
 * is the Origin check (the no-referrer page makes Chromium send `Origin: null`). From
 * `localhost` (another site) the browser also withholds the Lax cookie; both are tried.
 */
async function attackerSite(pages: Record<string, string>) {
  const attacker = http.createServer((req, res) => {
    const body = pages[req.url ?? ''];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(body ?? 'not here');
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  return {
    port: (attacker.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => attacker.close(() => resolve())),
  };
}

function attackPage(action: string, fields: Fields, autoSubmit: boolean) {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
    .join('');
  return `<!doctype html><html><head><meta name="referrer" content="no-referrer">
<title>Win a prize</title></head><body>
<form id="f" method="post" action="${action}">${inputs}<button>Claim your prize</button></form>
${autoSubmit ? '<script>document.getElementById("f").submit()</script>' : ''}
</body></html>`;
}

for (const mode of MODES) {
  test(`Chromium, ${mode.label} on the attacker's page: its forms to sign out and to comment are refused, and the victim stays signed in`, async () => {
    browser ??= await launchBrowser();
    const marker = `Forged in Chromium ${mode.label}`;
    const comment = `${server.url}/consultations/${SLUG}/recommendations/${params.recommendation}`;
    const fields = { intent: 'comment', body: marker, parentId: '', idempotencyKey: randomUUID() };
    const pages = {
      '/logout': attackPage(`${server.url}/logout`, {}, mode.javaScript),
      '/comment': attackPage(comment, fields, mode.javaScript),
    };
    const attacker = await attackerSite(pages);
    // One browser, the victim's: scripts on or off for every page, the attacker's included.
    const victim = await browser.newContext({ javaScriptEnabled: mode.javaScript });
    try {
      const page = await victim.newPage();
      await signInInBrowser(page, server.url, DEMO_ACCOUNTS.founder);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      const [session] = (await victim.cookies(server.url)).filter((c) => c.name === 'oc_session');
      expect(session?.sameSite, 'which defence this proves depends on it').toBe('Lax');

      // The short run takes the same-site attacker only (the one the cookie does not stop).
      for (const host of process.env.SECURITY === 'full'
        ? ['127.0.0.1', 'localhost']
        : ['127.0.0.1']) {
        for (const path of ['/logout', '/comment']) {
          const tab = await victim.newPage();
          await tab.goto(`http://${host}:${attacker.port}${path}`);
          if (!mode.javaScript) await tab.getByRole('button', { name: 'Claim your prize' }).click();
          await tab.waitForURL((u) => u.origin === server.url, { timeout: 10_000 });
          await tab.getByText(CROSS_SITE).waitFor({ timeout: 10_000 });
          await tab.close();
        }
      }
      // Still signed in, and no comment with the marker appeared.
      await page.goto(comment);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(await page.content()).not.toContain(marker);
      // Control: the same comment from the site's own page is posted.
      const ok = await page.request.post(comment, {
        form: { ...fields, idempotencyKey: randomUUID() },
        headers: { Origin: server.url },
        maxRedirects: 0,
      });
      expect(ok.status()).toBe(302);
      await page.reload();
      expect(await page.content()).toContain(marker);
    } finally {
      await victim.close();
      await attacker.close();
    }
  }, 60_000);
}

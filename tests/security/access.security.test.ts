import { afterAll, beforeAll, expect, test } from 'vitest';
import { signUpOverHttp } from '#tests/support/accounts';
import { acceptInvitationOverHttp } from '#tests/support/invitations';
import { linkInEmail } from '#tests/support/outbox';
import { startServer, type TestServer } from '#tests/support/server';

// Every organiser and trust route, for every kind of visitor, GET and POST: who gets the page,
// who is sent to sign in, who is refused, and what does not exist for anyone.

let server: TestServer;

const ROLES = [
  'anonymous',
  'respondent',
  // Suspended, then offered a moderator role on this consultation, which is refused.
  'suspended',
  'moderatorElsewhere',
  'moderator',
  'organiser',
] as const;
type Role = (typeof ROLES)[number];
/** 'sign-in' is a redirect to the sign-in page that comes back to the same address. */
type Outcome = 'sign-in' | 200 | 302 | 400 | 403 | 404 | 409 | 422;

const cookies = new Map<Role, string>();
const SLUG = 'hidden-in-plain-sight';
const ids = {
  founder: '',
  request: '',
  lastRecommendation: '',
  recommendationSlug: '',
  invitation: '',
};

async function send(
  method: 'GET' | 'POST',
  path: string,
  role: Role,
  body?: Record<string, string>,
) {
  const headers: Record<string, string> = { Origin: server.url };
  const cookie = cookies.get(role);
  if (cookie) headers.Cookie = cookie;
  if (body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body ? new URLSearchParams(body).toString() : undefined,
    redirect: 'manual',
  });
}

async function signIn(role: Role, email: string, password: string) {
  const response = await send('POST', '/login', 'anonymous', { email, password, redirectTo: '/' });
  expect(response.status, `sign in ${email}`).toBe(302);
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('oc_session='));
  expect(setCookie).toBeDefined();
  cookies.set(role, setCookie!.split(';')[0]!);
}

async function signUp(role: Role, name: string, email: string) {
  // The emailed link confirms the address (only a confirmed one can be given a role) and signs in.
  // Names that read as staff are refused at sign-up, so these are people's names.
  cookies.set(role, await signUpOverHttp(server.url, { name, email }));
}

async function asOrganiser(method: 'GET' | 'POST', path: string, body?: Record<string, string>) {
  const response = await send(method, path, 'organiser', body);
  expect(response.status, `${method} ${path} during setup`).toBeLessThan(400);
  return response;
}

beforeAll(async () => {
  server = await startServer();
  await signIn('organiser', 'organiser@demo.test', 'organiser-demo-2026');
  await signIn('respondent', 'founder@demo.test', 'founder-demo-2026');
  await signUp('moderator', 'Mira Here', 'moderator-here@matrix.test');
  await signUp('moderatorElsewhere', 'Elias Elsewhere', 'moderator-elsewhere@matrix.test');

  await asOrganiser('POST', '/organise/new', {
    title: 'Another consultation',
    slug: 'another-consultation',
    summary: 'Where the other moderator works.',
    runBy: 'Matrix team',
    body: '',
    opensAt: '',
    closesAt: '',
  });
  await asOrganiser('POST', `/organise/${SLUG}/team`, {
    intent: 'grant',
    email: 'moderator-here@matrix.test',
    role: 'moderator',
  });
  await asOrganiser('POST', '/organise/another-consultation/team', {
    intent: 'grant',
    email: 'moderator-elsewhere@matrix.test',
    role: 'moderator',
  });
  // A role by email is an invitation until the owner of the address accepts it.
  await asOrganiser('POST', `/organise/${SLUG}/team`, {
    intent: 'grant',
    email: 'nobody-here@matrix.test',
    role: 'organiser',
  });
  ids.invitation = new URL(
    await linkInEmail(server.url, 'nobody-here@matrix.test', '/invitations/accept'),
  ).search;
  await acceptInvitationOverHttp(
    server.url,
    'moderator-here@matrix.test',
    cookies.get('moderator')!,
  );
  await acceptInvitationOverHttp(
    server.url,
    'moderator-elsewhere@matrix.test',
    cookies.get('moderatorElsewhere')!,
  );

  await signUp('suspended', 'Sam Suspended', 'suspended@matrix.test');
  const account = await asOrganiser('POST', '/organise/accounts', {
    email: 'suspended@matrix.test',
  });
  await asOrganiser('POST', new URL(account.headers.get('Location')!, server.url).pathname, {
    intent: 'suspend',
    reason: 'Testing that a suspension holds everywhere',
    length: '7d',
  });
  const refusedGrant = await send('POST', `/organise/${SLUG}/team`, 'organiser', {
    intent: 'grant',
    email: 'suspended@matrix.test',
    role: 'moderator',
  });
  // Suspending signs the account out everywhere; signed in again, it may read but not act.
  await signIn('suspended', 'suspended@matrix.test', 'a long enough password');
  expect(refusedGrant.status).toBe(422);
  expect(await refusedGrant.text()).toContain('suspended, so it cannot be given a role');

  const requested = await send('POST', '/account/verification', 'respondent', {
    organisation: 'Acme Robotics Ltd',
    role: 'Founder',
    evidence: 'Team page',
    evidenceUrl: 'https://acme.example/team',
  });
  expect(requested.status).toBe(302);
  const queue = await (await asOrganiser('GET', '/organise/verification')).text();
  ids.request = /\/organise\/verification\/([0-9a-f-]{36})/.exec(queue)![1]!;
  const found = await asOrganiser('POST', '/organise/accounts', { email: 'founder@demo.test' });
  ids.founder = /\/organise\/accounts\/([0-9a-f-]{36})$/.exec(found.headers.get('Location')!)![1]!;
  const editor = await (await asOrganiser('GET', `/organise/${SLUG}`)).text();
  ids.lastRecommendation = [...editor.matchAll(/name="recommendationId" value="([0-9a-f-]{36})"/g)]
    .map((m) => m[1]!)
    .pop()!;
  ids.recommendationSlug = /\/organise\/hidden-in-plain-sight\/recommendations\/([a-z0-9-]+)"/.exec(
    editor.replaceAll('/recommendations/new"', ''),
  )![1]!;
}, 120_000);
afterAll(() => server?.stop());

/** Organisers only: the others are sent to sign in (anonymous) or refused. */
function organisersOnly(organiser: Outcome): Record<Role, Outcome> {
  return {
    anonymous: 'sign-in',
    respondent: 403,
    suspended: 403,
    moderatorElsewhere: 403,
    moderator: 403,
    organiser,
  };
}
function everyone(outcome: Outcome): Record<Role, Outcome> {
  return Object.fromEntries(ROLES.map((role) => [role, outcome])) as Record<Role, Outcome>;
}
const nobody: Record<Role, Outcome> = {
  anonymous: 404,
  respondent: 404,
  suspended: 404,
  moderatorElsewhere: 404,
  moderator: 404,
  organiser: 404,
};

type Case = {
  method: 'GET' | 'POST';
  path: () => string;
  body?: () => Record<string, string>;
  expected: Record<Role, Outcome>;
};

const CASES: Case[] = [
  { method: 'GET', path: () => '/organise', expected: organisersOnly(200) },
  { method: 'GET', path: () => '/organise/new', expected: organisersOnly(200) },
  {
    method: 'POST',
    path: () => '/organise/new',
    body: () => ({
      title: 'Created by the matrix',
      slug: 'created-by-the-matrix',
      summary: 'A draft.',
      runBy: 'Matrix team',
      body: '',
      opensAt: '',
      closesAt: '',
    }),
    expected: organisersOnly(302),
  },
  { method: 'GET', path: () => `/organise/${SLUG}`, expected: organisersOnly(200) },
  {
    method: 'POST',
    path: () => `/organise/${SLUG}`,
    // The last recommendation moving down changes nothing, but passes every check.
    body: () => ({ intent: 'move-down', recommendationId: ids.lastRecommendation }),
    expected: organisersOnly(302),
  },
  // The confirmation page for closing; its POST would close the demo for every later case.
  { method: 'GET', path: () => `/organise/${SLUG}/close`, expected: organisersOnly(200) },
  { method: 'GET', path: () => `/organise/${SLUG}/audit`, expected: organisersOnly(200) },
  {
    method: 'GET',
    path: () => `/organise/${SLUG}/audit?action=role.granted`,
    expected: organisersOnly(200),
  },
  { method: 'GET', path: () => `/organise/${SLUG}/audit.csv`, expected: organisersOnly(200) },
  { method: 'GET', path: () => `/organise/${SLUG}/export.json`, expected: organisersOnly(200) },
  { method: 'GET', path: () => `/organise/${SLUG}/team`, expected: organisersOnly(200) },
  {
    method: 'POST',
    path: () => `/organise/${SLUG}/team`,
    body: () => ({ intent: 'grant', email: 'investor@demo.test', role: 'moderator' }),
    expected: organisersOnly(302),
  },
  {
    method: 'GET',
    path: () => `/organise/${SLUG}/recommendations/new`,
    expected: organisersOnly(200),
  },
  {
    method: 'POST',
    path: () => `/organise/${SLUG}/recommendations/new`,
    body: () => ({ title: 'Added by the matrix', summary: 'A test.', rationale: '', slug: '' }),
    expected: organisersOnly(302),
  },
  {
    method: 'GET',
    path: () => `/organise/${SLUG}/recommendations/${ids.recommendationSlug}`,
    expected: organisersOnly(200),
  },
  {
    method: 'POST',
    path: () => `/organise/${SLUG}/recommendations/${ids.recommendationSlug}`,
    // An open consultation keeps its recommendations: the organiser is told so (422).
    body: () => ({ intent: 'remove', version: '1' }),
    expected: organisersOnly(422),
  },
  { method: 'GET', path: () => `/organise/${SLUG}/responses`, expected: organisersOnly(200) },
  {
    method: 'GET',
    path: () => `/organise/${SLUG}/responses/ZZZZ-ZZZZ`,
    expected: organisersOnly(404),
  },
  { method: 'GET', path: () => `/organise/${SLUG}/results`, expected: organisersOnly(200) },
  {
    method: 'POST',
    path: () => `/organise/${SLUG}/results`,
    // The setting it already has: passes every check, changes nothing.
    body: () => ({ resultsVisibility: 'after_close' }),
    expected: organisersOnly(302),
  },
  {
    method: 'GET',
    path: () => `/organise/${SLUG}/results/${ids.recommendationSlug}`,
    expected: organisersOnly(200),
  },
  { method: 'GET', path: () => '/organise/accounts', expected: organisersOnly(200) },
  {
    method: 'POST',
    path: () => '/organise/accounts',
    body: () => ({ email: 'founder@demo.test' }),
    expected: organisersOnly(302),
  },
  { method: 'GET', path: () => `/organise/accounts/${ids.founder}`, expected: organisersOnly(200) },
  {
    method: 'GET',
    path: () => '/organise/accounts/00000000-0000-4000-8000-000000000000',
    expected: organisersOnly(404),
  },
  {
    method: 'POST',
    path: () => `/organise/accounts/${ids.founder}`,
    // Not suspended, so nothing to lift: the organiser is told (409).
    body: () => ({ intent: 'lift', reason: 'Matrix' }),
    expected: organisersOnly(409),
  },
  { method: 'GET', path: () => '/organise/verification', expected: organisersOnly(200) },
  {
    method: 'GET',
    path: () => `/organise/verification/${ids.request}`,
    expected: organisersOnly(200),
  },
  {
    method: 'POST',
    path: () => `/organise/verification/${ids.request}`,
    body: () => ({ decision: 'reject', note: 'Matrix' }),
    expected: organisersOnly(302),
  },
  {
    method: 'GET',
    path: () => '/organise/verification/not-a-request',
    expected: organisersOnly(404),
  },
  { method: 'GET', path: () => '/organise/audit', expected: organisersOnly(200) },
  { method: 'GET', path: () => '/organise/audit.csv', expected: organisersOnly(200) },
  // An invitation to an address none of them owns: anyone may read it, nobody may accept it.
  { method: 'GET', path: () => `/invitations/accept${ids.invitation}`, expected: everyone(200) },
  {
    method: 'POST',
    path: () => `/invitations/accept${ids.invitation}`,
    body: () => ({ token: new URLSearchParams(ids.invitation).get('token')! }),
    expected: { ...everyone(403), anonymous: 'sign-in' },
  },
  {
    method: 'POST',
    path: () => '/invitations/accept?token=not-a-real-one',
    body: () => ({ token: 'not-a-real-one' }),
    expected: { ...everyone(422), anonymous: 'sign-in' },
  },
  // A consultation that does not exist is not there for anyone, signed in or not.
  { method: 'GET', path: () => '/organise/no-such-consultation', expected: nobody },
  { method: 'GET', path: () => '/organise/no-such-consultation/team', expected: nobody },
  {
    method: 'POST',
    path: () => '/organise/no-such-consultation/team',
    body: () => ({ intent: 'grant', email: 'investor@demo.test', role: 'moderator' }),
    expected: nobody,
  },
  { method: 'GET', path: () => '/organise/no-such-consultation/audit.csv', expected: nobody },
  { method: 'GET', path: () => '/organise/no-such-consultation/export.json', expected: nobody },
];

function outcomeOf(response: Response, path: string): Outcome {
  if (response.status === 302) {
    const location = response.headers.get('Location') ?? '';
    if (location.startsWith(`/login?redirectTo=${encodeURIComponent(path)}`)) return 'sign-in';
  }
  return response.status as Outcome;
}

test('every organiser and trust route answers each kind of visitor as expected, for GET and POST', async () => {
  const actual: string[] = [];
  const expected: string[] = [];
  for (const c of CASES) {
    // The organiser goes last, so a write that succeeds cannot change what the others see.
    for (const role of ROLES) {
      const path = c.path();
      const response = await send(c.method, path, role, c.body?.());
      actual.push(`${c.method} ${path} as ${role}: ${outcomeOf(response, path)}`);
      expected.push(`${c.method} ${path} as ${role}: ${c.expected[role]}`);
    }
  }
  expect(actual).toEqual(expected);
}, 120_000);

test('every refused POST by a signed-in person is in the audit log with who, where and the request id', async () => {
  const refusedBefore = await countRefusals();
  const response = await send('POST', `/organise/${SLUG}/team`, 'moderator', {
    intent: 'grant',
    email: 'moderator-here@matrix.test',
    role: 'organiser',
  });
  expect(response.status).toBe(403);
  const requestId = response.headers.get('X-Request-Id');

  const csv = await (
    await send('GET', '/organise/audit.csv?action=access.denied', 'organiser')
  ).text();
  expect(await countRefusals()).toBe(refusedBefore + 1);
  const row = csv.split('\n').find((line) => requestId && line.includes(requestId));
  expect(row).toContain('moderator-here@matrix.test');
  expect(row).toContain(`/organise/${SLUG}/team`);
});

async function countRefusals() {
  const csv = await (
    await send('GET', '/organise/audit.csv?action=access.denied', 'organiser')
  ).text();
  return csv.split('\n').filter((line) => line.includes(',access.denied,')).length;
}

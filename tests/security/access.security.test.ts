import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_ACCOUNTS, SIGN_UP_PASSWORD, type Account } from '#tests/support/accounts';
import { Visitor } from '#tests/support/http-client';
import { acceptInvitationOverHttp } from '#tests/support/invitations';
import { linkInEmail } from '#tests/support/outbox';
import { appRoutes } from '#tests/support/routes';
import { startServer, type TestServer } from '#tests/support/server';

// Every organiser, moderation, account and trust route and the public summary pages, for every
// kind of visitor, GET and POST: who gets the page, who is sent to sign in, who is refused, and
// what does not exist for anyone. The route table is read so a new staff or account route must be added here.
// tests/security/moderation-access.security.test.ts adds a moderator of a second consultation
// (made in the database, on Postgres) and the moderation refusals' audit entries.

let server: TestServer;

const ROLES = [
  'anonymous',
  'respondent',
  // Suspended, then offered a moderator role on this consultation, which is refused.
  'suspended',
  // Moderator, then organiser, of this consultation, working as such; then the role was removed
  // (staff cannot be suspended) and the account suspended site-wide.
  'exModerator',
  'exOrganiser',
  'moderatorElsewhere',
  'moderator',
  'organiser',
] as const;
type Role = (typeof ROLES)[number];
/** 'sign-in' is a redirect to the sign-in page that comes back to the same address. */
type Outcome = 'sign-in' | 200 | 302 | 400 | 403 | 404 | 409 | 422;

const visitors = new Map<Role, Visitor>();
const SLUG = 'hidden-in-plain-sight';
/** The demo's finished sample consultation, with a published, corrected summary. */
const SAMPLE = 'sample-first-year-support';
const ids = {
  founder: '',
  request: '',
  firstRecommendation: '',
  lastRecommendation: '',
  recommendationSlug: '',
  invitation: '',
  item: '',
  exModerator: '',
  oldInvitation: '',
};

function send(method: 'GET' | 'POST', path: string, role: Role, body?: Record<string, string>) {
  const visitor = visitors.get(role) ?? new Visitor(server.url);
  return visitor.send(method, path, body ? { form: body } : {});
}

async function signIn(role: Role, account: Account) {
  visitors.set(role, await Visitor.signIn(server.url, account));
}

async function signUp(role: Role, name: string, email: string) {
  // The emailed link confirms the address (only a confirmed one can be given a role) and signs in.
  // Names that read as staff are refused at sign-up, so these are people's names.
  visitors.set(role, await Visitor.signUp(server.url, { name, email }));
}

async function asOrganiser(method: 'GET' | 'POST', path: string, body?: Record<string, string>) {
  const response = await send(method, path, 'organiser', body);
  expect(response.status, `${method} ${path} during setup`).toBeLessThan(400);
  return response;
}

beforeAll(async () => {
  server = await startServer();
  await signIn('organiser', DEMO_ACCOUNTS.organiser);
  await signIn('respondent', DEMO_ACCOUNTS.founder);
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
    visitors.get('moderator')!.cookie!,
  );
  await acceptInvitationOverHttp(
    server.url,
    'moderator-elsewhere@matrix.test',
    visitors.get('moderatorElsewhere')!.cookie!,
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
  await signIn('suspended', { email: 'suspended@matrix.test', password: SIGN_UP_PASSWORD });
  await formerStaff('exModerator', 'Mo Former', 'former-moderator@matrix.test', 'moderator');
  await formerStaff('exOrganiser', 'Olive Former', 'former-organiser@matrix.test', 'organiser');
  const moderationQueue = await (await asOrganiser('GET', `/moderation/${SLUG}/queue`)).text();
  ids.item = /\/items\/(c\.[0-9a-f-]{36})/.exec(moderationQueue)![1]!;
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
  const recommendationIds = [
    ...editor.matchAll(/name="recommendationId" value="([0-9a-f-]{36})"/g),
  ].map((m) => m[1]!);
  ids.firstRecommendation = recommendationIds[0]!;
  ids.lastRecommendation = recommendationIds.at(-1)!;
  ids.recommendationSlug = /\/organise\/hidden-in-plain-sight\/recommendations\/([a-z0-9-]+)"/.exec(
    editor.replaceAll('/recommendations/new"', ''),
  )![1]!;
}, 120_000);
afterAll(() => server?.stop());

/**
 * An account that held `role` on this consultation and used it, then lost it and was suspended:
 * staff cannot be suspended (the organiser is told to remove the role first), so that is the
 * way a former moderator or organiser comes to be suspended.
 */
async function formerStaff(role: Role, name: string, email: string, staffRole: string) {
  await signUp(role, name, email);
  await asOrganiser('POST', `/organise/${SLUG}/team`, { intent: 'grant', email, role: staffRole });
  await acceptInvitationOverHttp(server.url, email, visitors.get(role)!.cookie!);
  const home = staffRole === 'moderator' ? `/moderation/${SLUG}/queue` : `/organise/${SLUG}/team`;
  expect((await send('GET', home, role)).status, `${email} works as ${staffRole}`).toBe(200);
  const account = await asOrganiser('POST', '/organise/accounts', { email });
  const accountPath = new URL(account.headers.get('Location')!, server.url).pathname;
  if (role === 'exModerator') ids.exModerator = accountPath.split('/').pop()!;
  const suspend = { intent: 'suspend', reason: 'Testing former staff', length: '7d' };
  const whileStaff = await send('POST', accountPath, 'organiser', suspend);
  expect(whileStaff.status).toBe(422);
  expect(await whileStaff.text()).toContain('Remove its roles on the team pages first');
  const team = await (await asOrganiser('GET', `/organise/${SLUG}/team`)).text();
  const grantId = new RegExp(
    `${email}</span>[\\s\\S]*?name="grantId" value="([0-9a-f-]{36})"`,
  ).exec(team)![1]!;
  await asOrganiser('POST', `/organise/${SLUG}/team`, { intent: 'revoke', grantId });
  if (role === 'exModerator') {
    // An invitation sent before the suspension, not yet accepted: it must not work after.
    await asOrganiser('POST', '/organise/another-consultation/team', {
      intent: 'grant',
      email,
      role: 'moderator',
    });
    ids.oldInvitation = new URL(
      await linkInEmail(server.url, email, '/invitations/accept', /invited/),
    ).search;
  }
  await asOrganiser('POST', accountPath, suspend);
  // Suspending ended its sessions: signed in again, it may read but not act.
  expect((await send('GET', '/account/profile', role)).status).toBe(302);
  await signIn(role, { email, password: SIGN_UP_PASSWORD });
}

/** Organisers only: the others are sent to sign in (anonymous) or refused. */
function organisersOnly(organiser: Outcome): Record<Role, Outcome> {
  return {
    anonymous: 'sign-in',
    respondent: 403,
    suspended: 403,
    exModerator: 403,
    exOrganiser: 403,
    moderatorElsewhere: 403,
    moderator: 403,
    organiser,
  };
}
/** Moderators of this consultation and organisers (site-wide here); no former staff. */
function moderatorsHere(staff: Outcome): Record<Role, Outcome> {
  return { ...organisersOnly(staff), moderator: staff };
}
/** Anyone signed in, the suspended included; the anonymous are sent to sign in. */
function signedIn(outcome: Outcome): Record<Role, Outcome> {
  return { ...everyone(outcome), anonymous: 'sign-in' };
}
function everyone(outcome: Outcome): Record<Role, Outcome> {
  return Object.fromEntries(ROLES.map((role) => [role, outcome])) as Record<Role, Outcome>;
}
const nobody: Record<Role, Outcome> = {
  anonymous: 404,
  respondent: 404,
  suspended: 404,
  exModerator: 404,
  exOrganiser: 404,
  moderatorElsewhere: 404,
  moderator: 404,
  organiser: 404,
};

/** Account pages every signed-in person may open. */
const ACCOUNT_PAGES = [
  '/account/data.json',
  '/account/delete',
  '/account/email',
  '/account/email-preferences',
  '/account/messages',
  '/account/password',
  '/account/profile',
  '/account/responses',
  '/account/verification',
];

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
  { method: 'GET', path: () => `/organise/${SLUG}/exports`, expected: organisersOnly(200) },
  {
    method: 'GET',
    path: () => `/organise/${SLUG}/exports/responses-long.csv`,
    expected: organisersOnly(200),
  },
  {
    method: 'GET',
    path: () => `/organise/${SLUG}/exports/audit-log.json`,
    expected: organisersOnly(200),
  },
  // Any other file name is no download, for anyone.
  { method: 'GET', path: () => `/organise/${SLUG}/exports/users.csv`, expected: nobody },
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
  // The summary of the (open) demo: drafting is open to its organisers at any stage; a form
  // from an older draft version (999) passes every check but the version, so it writes nothing
  // (409); publishing an open consultation is refused (422).
  { method: 'GET', path: () => `/organise/${SLUG}/summary`, expected: organisersOnly(200) },
  {
    method: 'POST',
    path: () => `/organise/${SLUG}/summary`,
    body: () => ({ intent: 'intro', expectedVersion: '999', intro: 'We asked.' }),
    expected: organisersOnly(409),
  },
  {
    method: 'GET',
    path: () => `/organise/${SLUG}/summary/recommendations/${ids.recommendationSlug}`,
    expected: organisersOnly(200),
  },
  {
    method: 'POST',
    path: () => `/organise/${SLUG}/summary/recommendations/${ids.recommendationSlug}`,
    body: () => ({
      intent: 'save',
      expectedVersion: '999',
      recommendationId: ids.firstRecommendation,
      youSaid: 'People said.',
      weDid: '',
      outcomeReasons: '',
    }),
    expected: organisersOnly(409),
  },
  { method: 'GET', path: () => `/organise/${SLUG}/summary/preview`, expected: organisersOnly(200) },
  { method: 'GET', path: () => `/organise/${SLUG}/summary/publish`, expected: organisersOnly(200) },
  {
    method: 'POST',
    path: () => `/organise/${SLUG}/summary/publish`,
    body: () => ({ intent: 'publish', expectedVersion: '1', licence: 'ogl-3' }),
    expected: organisersOnly(422),
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
  // Moderation: moderators of this consultation and organisers; a moderator elsewhere sees the
  // list of their own consultations only. An empty form gets staff as far as its check (400).
  {
    method: 'GET',
    path: () => '/moderation',
    expected: { ...moderatorsHere(200), moderatorElsewhere: 200 },
  },
  { method: 'GET', path: () => `/moderation/${SLUG}`, expected: moderatorsHere(200) },
  { method: 'GET', path: () => `/moderation/${SLUG}/queue`, expected: moderatorsHere(200) },
  {
    method: 'POST',
    path: () => `/moderation/${SLUG}/queue`,
    body: () => ({}),
    expected: moderatorsHere(400),
  },
  {
    method: 'GET',
    path: () => `/moderation/${SLUG}/items/${ids.item}`,
    expected: moderatorsHere(200),
  },
  {
    method: 'POST',
    path: () => `/moderation/${SLUG}/items/${ids.item}`,
    body: () => ({}),
    expected: moderatorsHere(400),
  },
  { method: 'GET', path: () => `/moderation/${SLUG}/policy`, expected: organisersOnly(200) },
  {
    method: 'POST',
    path: () => `/moderation/${SLUG}/policy`,
    body: () => ({}),
    expected: organisersOnly(400),
  },
  // Account pages: anyone signed in reads their own; the suspended may read but not change.
  ...ACCOUNT_PAGES.map((path): Case => ({
    method: 'GET',
    path: () => path,
    expected: signedIn(200),
  })),
  // Published summaries are public to everyone, signed in or not, suspended or not; a
  // consultation with none published (the open demo, a draft) has no summary page for anyone,
  // its organisers included: a draft summary is never shown at a public address.
  { method: 'GET', path: () => `/consultations/${SAMPLE}/summary`, expected: everyone(200) },
  { method: 'GET', path: () => `/consultations/${SAMPLE}/summary/v/1`, expected: everyone(200) },
  {
    method: 'GET',
    path: () => `/consultations/${SAMPLE}/summary/changes?from=1&to=2`,
    expected: everyone(200),
  },
  { method: 'GET', path: () => `/consultations/${SAMPLE}/summary/v/9`, expected: nobody },
  { method: 'GET', path: () => `/consultations/${SLUG}/summary`, expected: nobody },
  { method: 'GET', path: () => `/consultations/${SLUG}/summary/v/1`, expected: nobody },
  { method: 'GET', path: () => `/consultations/${SLUG}/summary/changes`, expected: nobody },
  {
    method: 'GET',
    path: () => '/consultations/another-consultation/summary',
    expected: nobody,
  },
  // Open data follows the results pages: public once the results are (the finished sample);
  // before then (the open demo, public when it closes) only its organisers, as a preview.
  { method: 'GET', path: () => `/consultations/${SAMPLE}/data`, expected: everyone(200) },
  {
    method: 'GET',
    path: () => `/consultations/${SAMPLE}/data/aggregates.csv`,
    expected: everyone(200),
  },
  {
    method: 'GET',
    path: () => `/consultations/${SLUG}/data/open-data.zip`,
    expected: { ...everyone(403), organiser: 200 },
  },
  { method: 'GET', path: () => `/consultations/${SAMPLE}/data/other.csv`, expected: nobody },
  { method: 'GET', path: () => '/consultations/no-such-consultation/data', expected: nobody },
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

/**
 * Routes of the staff and account areas that the matrix leaves out, each with the reason; every
 * other route under /organise, /moderation and /account must be in CASES.
 */
const NOT_IN_MATRIX: Record<string, string> = {
  '/account/appeals/:decisionId':
    'one person’s own decision: tests/integration/appeals.int.test.ts and fairness.e2e',
  '/account/confirm-email': 'a page for everyone, signed in or not (its link is the secret)',
  '/account/deleted': 'a static page shown after deleting, to anyone',
  '/account/forgot-password': 'for people who cannot sign in, so open to everyone',
  '/account/reset-password': 'for people who cannot sign in; its emailed token is the secret',
  '/organise/:slug/close': 'its POST would close the demo; the GET is in CASES',
};

/** The route pattern a concrete path is served by: the most specific one that matches. */
function patternOf(path: string, patterns: string[]) {
  const bare = path.split('?')[0]!;
  const matching = patterns.filter((pattern) =>
    new RegExp(
      `^${pattern
        .split('/')
        .map((part) =>
          part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('/')}$`,
    ).test(bare),
  );
  const params = (p: string) => p.split('/').filter((part) => part.startsWith(':')).length;
  return matching.sort((a, b) => params(a) - params(b))[0];
}

test('every route under /organise, /moderation and /account is in the matrix or excused by name', async () => {
  const patterns = (await appRoutes()).map((r) => r.pattern);
  const staff = patterns.filter((p) => /^\/(organise|moderation|account)(\/|$)/.test(p));
  expect(staff.length, 'the route table has staff and account routes').toBeGreaterThan(30);
  const covered = new Set(CASES.map((c) => patternOf(c.path(), patterns)));
  const missing = staff.filter((p) => !covered.has(p) && !(p in NOT_IN_MATRIX));
  expect(missing, 'add a case (or a reason in NOT_IN_MATRIX)').toEqual([]);
  const stale = Object.keys(NOT_IN_MATRIX).filter((p) => !patterns.includes(p));
  expect(stale, 'NOT_IN_MATRIX names routes that no longer exist').toEqual([]);
});

test('a suspended former moderator cannot be given a role again, accept an old invitation, ask for verification or change its profile', async () => {
  const email = 'former-moderator@matrix.test';
  const regrant = await send('POST', `/organise/${SLUG}/team`, 'organiser', {
    intent: 'grant',
    email,
    role: 'moderator',
  });
  expect(regrant.status).toBe(422);
  expect(await regrant.text()).toContain('suspended, so it cannot be given a role');
  // Control: the same grant for an account in good standing goes through.
  const control = await send('POST', '/organise/another-consultation/team', 'organiser', {
    intent: 'grant',
    email: 'moderator-here@matrix.test',
    role: 'organiser',
  });
  expect(control.status).toBe(302);

  const accepted = await send('POST', `/invitations/accept${ids.oldInvitation}`, 'exModerator', {
    token: new URLSearchParams(ids.oldInvitation).get('token')!,
  });
  expect(accepted.status, 'an invitation from before the suspension').not.toBe(302);
  expect(accepted.status).toBeLessThan(500);
  expect((await send('GET', '/moderation/another-consultation', 'exModerator')).status).toBe(403);

  const verification = {
    organisation: 'Former Staff Ltd',
    role: 'Founder',
    evidence: 'Team page',
    evidenceUrl: 'https://former.example/team',
  };
  const asked = await send('POST', '/account/verification', 'exModerator', verification);
  expect(asked.status).toBe(403);
  expect(await asked.text()).toMatch(/suspended/i);
  const queue = await (await send('GET', '/organise/verification', 'organiser')).text();
  expect(queue).not.toContain('Former Staff Ltd');

  const before = await (await send('GET', '/account/profile', 'exModerator')).text();
  expect(before).not.toContain('Someone Else Ltd');
  const changed = await send('POST', '/account/profile', 'exModerator', {
    segment: 'investor',
    organisation: 'Someone Else Ltd',
  });
  expect(changed.status).toBe(403);
  const after = await (await send('GET', '/account/profile', 'exModerator')).text();
  expect(after).not.toContain('Someone Else Ltd');
  // Control: the same profile change by an account in good standing is saved.
  const saved = await send('POST', '/account/profile', 'moderatorElsewhere', {
    segment: 'investor',
    organisation: 'Someone Else Ltd',
  });
  expect(saved.status).toBe(302);
  expect(await (await send('GET', '/account/profile', 'moderatorElsewhere')).text()).toContain(
    'Someone Else Ltd',
  );
  // Its account page says suspended, and it holds no role.
  const account = await (
    await send('GET', `/organise/accounts/${ids.exModerator}`, 'organiser')
  ).text();
  expect(account).toMatch(/suspended/i);
});

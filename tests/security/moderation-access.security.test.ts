import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Visitor } from '#tests/support/http-client';
import { adminQuery, postgresAvailable, TEST_DATABASE_URL } from '#tests/support/postgres';
import { startServer, type TestServer } from '#tests/support/server';
import { DEMO_ACCOUNTS } from '#tests/support/accounts';

// Every moderation route × every role, on the built server. It runs on Postgres (a schema of its
// own) so the test can give an account a role on a second consultation, as no page does yet.
const available = await postgresAvailable();
const schema = `e2e_mod_${randomBytes(6).toString('hex')}`;
const demo = 'hidden-in-plain-sight';
const other = 'another-consultation';
let server: TestServer;
type Role = 'anonymous' | 'respondent' | 'otherModerator' | 'moderator' | 'organiser';
const visitors = {} as Record<Role, Visitor>;
let heldRefs: string[] = [];

beforeAll(async () => {
  if (!available) return;
  await adminQuery(`create schema ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  server = await startServer({ DATABASE_URL: url.toString() });
  visitors.anonymous = new Visitor(server.url);
  visitors.respondent = await Visitor.signIn(server.url, DEMO_ACCOUNTS.founder);
  visitors.moderator = await Visitor.signIn(server.url, DEMO_ACCOUNTS.moderator);
  visitors.organiser = await Visitor.signIn(server.url, DEMO_ACCOUNTS.organiser);
  visitors.otherModerator = await Visitor.signUp(server.url, {
    name: 'Olu Other',
    email: 'other.moderator@example.test',
    segment: 'founder',
  });
  const created = await adminQuery(
    `insert into ${schema}.consultations (slug, title, summary, run_by, status, opens_at, closes_at)
     values ($1, 'Another consultation', 'A second one.', 'Someone else', 'open',
             now() - interval '1 day', now() + interval '30 days') returning id`,
    [other],
  );
  const otherId = created.rows[0].id as string;
  await adminQuery(
    `insert into ${schema}.recommendations (consultation_id, number, slug, title, summary)
     values ($1, 1, 'first', 'First', 'The first.')`,
    [otherId],
  );
  await adminQuery(
    `insert into ${schema}.role_grants (user_id, role, consultation_id)
     select id, 'moderator', $1 from ${schema}.users where email = 'other.moderator@example.test'`,
    [otherId],
  );
  const held = await adminQuery(
    `select id from ${schema}.comments where status = 'held' order by created_at limit 3`,
  );
  heldRefs = held.rows.map((r: { id: string }) => `c.${r.id}`);
});

afterAll(async () => {
  await server?.stop();
  if (available) await adminQuery(`drop schema if exists ${schema} cascade`);
});

const ROLES: Role[] = ['anonymous', 'respondent', 'otherModerator', 'moderator', 'organiser'];
const SIGN_IN = 'sign-in';
type Expected = number | typeof SIGN_IN;

/** What each role gets, in the order of ROLES. */
function pages(): [string, Expected[]][] {
  const item = `/moderation/${demo}/items/${heldRefs[0]}`;
  return [
    ['/moderation', [SIGN_IN, 403, 200, 200, 200]],
    [`/moderation/${demo}`, [SIGN_IN, 403, 403, 200, 200]],
    [`/moderation/${demo}/queue`, [SIGN_IN, 403, 403, 200, 200]],
    [`/moderation/${demo}/queue?state=held&age=older_than_day`, [SIGN_IN, 403, 403, 200, 200]],
    [item, [SIGN_IN, 403, 403, 200, 200]],
    // Organisers only: moderators decide on items, organisers set the policy.
    [`/moderation/${demo}/policy`, [SIGN_IN, 403, 403, 403, 200]],
    ['/account/messages', [SIGN_IN, 200, 200, 200, 200]],
  ];
}

function expectStatus(response: Response, expected: Expected, label: string) {
  if (expected === SIGN_IN) {
    expect(response.status, label).toBe(302);
    expect(response.headers.get('location'), label).toMatch(/^\/login\?redirectTo=/);
  } else {
    expect(response.status, label).toBe(expected);
  }
}

test.runIf(available)('GET: every moderation page answers each role as expected', async () => {
  for (const [path, expected] of pages()) {
    for (const [index, role] of ROLES.entries()) {
      const response = await visitors[role].get(path);
      expectStatus(response, expected[index]!, `GET ${path} as ${role}`);
    }
  }
});

test.runIf(available)(
  'POST: refused before the form is read for anyone but staff, and each refusal is logged',
  async () => {
    const item = `/moderation/${demo}/items/${heldRefs[0]}`;
    // Staff get as far as the form check (400 for an empty form); others never do.
    const posts: [string, Expected[]][] = [
      [`/moderation/${demo}/queue`, [SIGN_IN, 403, 403, 400, 400]],
      [item, [SIGN_IN, 403, 403, 400, 400]],
      [`/moderation/${demo}/policy`, [SIGN_IN, 403, 403, 403, 400]],
    ];
    for (const [path, expected] of posts) {
      for (const [index, role] of ROLES.entries()) {
        const response = await visitors[role].post(path, {});
        expectStatus(response, expected[index]!, `POST ${path} as ${role}`);
      }
    }
    const refused = await adminQuery(
      `select u.email, count(*)::int as n from ${schema}.audit_events a
       join ${schema}.users u on u.id = a.actor_id
       where a.action = 'moderation.refused' group by u.email order by u.email`,
    );
    expect(refused.rows).toEqual([
      { email: 'founder@demo.test', n: 2 },
      { email: 'other.moderator@example.test', n: 2 },
    ]);
  },
);

test.runIf(available)(
  'a moderator of another consultation cannot reach this one’s items, even through their own',
  async () => {
    const approve = { intent: 'approve', seenSeq: '0', seenStatus: 'held' };
    const viaOwn = await visitors.otherModerator.post(
      `/moderation/${other}/items/${heldRefs[1]}`,
      approve,
    );
    expect(viaOwn.status).toBe(404);
    const page = await visitors.otherModerator.get(`/moderation/${other}/items/${heldRefs[1]}`);
    expect(page.status).toBe(404);
    const own = await visitors.otherModerator.get(`/moderation/${other}/queue`);
    expect(own.status).toBe(200);
    const status = await adminQuery(`select status from ${schema}.comments where id = $1`, [
      heldRefs[1]!.slice(2),
    ]);
    expect(status.rows[0].status).toBe('held');

    // The same valid form from the moderator and the organiser of this consultation is applied.
    const byModerator = await visitors.moderator.post(
      `/moderation/${demo}/items/${heldRefs[1]}`,
      approve,
    );
    expect(byModerator.status).toBe(302);
    expect(byModerator.headers.get('location')).toMatch(/\/queue\?decided=approve/);
    const byOrganiser = await visitors.organiser.post(
      `/moderation/${demo}/items/${heldRefs[2]}`,
      approve,
    );
    expect(byOrganiser.status).toBe(302);
    // The second of two identical decisions is told someone else decided first.
    const late = await visitors.organiser.post(`/moderation/${demo}/items/${heldRefs[1]}`, approve);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('Someone else decided on this item first');
  },
);

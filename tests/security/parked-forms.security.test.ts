import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { formWith } from '#tests/support/forms';
import { Visitor } from '#tests/support/http-client';
import { postgresAvailable } from '#tests/support/postgres';
import { appRoutes } from '#tests/support/routes';
import { startServerInSchema } from '#tests/support/schema-server';
import { DEMO_ACCOUNTS } from '#tests/support/accounts';

// What a signed-out visitor can make the server keep. A form posted after a session ended is
// kept for an hour so the person finds it again after signing in, but only for the pages that
// show it again, only so many per address and only so large; every other signed-out post is
// sent to sign in with nothing stored. Once 300 anonymous posts stored 16 MB in 13 s.
// On Postgres, in a schema of its own, so the test can see what was stored.

const available = await postgresAvailable();
const SLUG = 'hidden-in-plain-sight';
const FINAL_STEP = `/consultations/${SLUG}/respond/final`;
/** Routes whose page shows a kept form again (`keepsSignedOutForm` in their action). */
const RESUMABLE = new Set([
  '/consultations/:slug/respond/final',
  '/consultations/:slug/respond/about-you',
  '/consultations/:slug/respond/recommendations/:recommendation',
]);
const PER_ADDRESS = 30;
const FORM_BYTES = 64 * 1024;

let app: Awaited<ReturnType<typeof startServerInSchema>>;

beforeAll(async () => {
  if (available) app = await startServerInSchema('sec_parked', { TRUST_PROXY_HOPS: '1' });
});
afterAll(async () => {
  await app?.stop();
});

async function stored() {
  const { rows } = await app.query(
    'select count(*)::int as forms, coalesce(sum(octet_length(form_values::text)), 0)::int as bytes from {schema}.parked_forms',
  );
  return rows[0] as { forms: number; bytes: number };
}

function postFrom(address: string, path: string, form: Record<string, string>) {
  return new Visitor(app.server.url).post(path, form, {
    headers: { 'X-Forwarded-For': address },
  });
}

const keptCookie = (response: Response) =>
  response.headers
    .getSetCookie()
    .find((c) => c.startsWith('oc_parked=') && !c.startsWith('oc_parked=;'));

const finalStep = (comments: string) => ({
  overallComments: comments,
  consent: 'anonymous',
  idempotencyKey: randomUUID(),
});

test.runIf(available)(
  'a signed-out post to any page that does not resume a form is sent to sign in with nothing kept',
  async () => {
    const { url } = app.server;
    // The post that once filled the store: a valid new consultation, forty times over.
    const organiser = await Visitor.signIn(url, DEMO_ACCOUNTS.organiser);
    const newForm = formWith(
      await (await organiser.get('/organise/new')).text(),
      `${url}/organise/new`,
      'title',
    ).defaults;
    delete newForm._token;
    for (let i = 0; i < 40; i += 1) {
      const response = await postFrom('198.51.100.1', '/organise/new', {
        ...newForm,
        title: `A consultation nobody asked for ${i}`,
        summary: 'x'.repeat(1000),
        runBy: 'Nobody',
        slug: `unasked-${i}`,
        body: 'y'.repeat(50_000),
      });
      expect(response.status, 'the form passed its checks and went to sign in').toBe(302);
      expect(response.headers.get('Location')).toMatch(/^\/login\?redirectTo=%2Forganise%2Fnew$/);
      expect(keptCookie(response)).toBeUndefined();
    }

    // Every other action in the route table, with whatever fields a form might carry.
    const values: Record<string, string> = {
      slug: SLUG,
      recommendation: 'publicly-funded-ai-open-release',
    };
    const actions = (await appRoutes()).filter((r) => r.hasAction && !RESUMABLE.has(r.pattern));
    expect(actions.length).toBeGreaterThan(20);
    for (const route of actions) {
      const path = route.pattern.replace(
        /:(\w+)/g,
        (_, name: string) => values[name] ?? randomUUID(),
      );
      const response = await postFrom('198.51.100.2', path, {
        intent: 'save',
        body: 'Typed while signed out.',
        title: 'A title',
        email: 'someone@example.test',
      });
      expect(keptCookie(response), `${route.pattern} kept a form`).toBeUndefined();
    }
    expect(await stored()).toEqual({ forms: 0, bytes: 0 });
  },
);

test.runIf(available)(
  'a resumable form is kept thirty times an hour per address, never larger than its limit, and comes back after sign-in',
  async () => {
    const before = await stored();
    const statuses: string[] = [];
    let lastKept: string | undefined;
    for (let i = 0; i < PER_ADDRESS + 10; i += 1) {
      const response = await postFrom(
        '203.0.113.5',
        FINAL_STEP,
        finalStep(`Typed ${i}. ${'z'.repeat(9_000)}`),
      );
      expect(response.status).toBe(302);
      const kept = keptCookie(response);
      statuses.push(kept ? 'kept' : 'not kept');
      if (kept) {
        expect(response.headers.get('Location')).toContain('kept=1');
        lastKept = kept.split(';')[0];
      } else {
        expect(response.headers.get('Location')).not.toContain('kept=1');
      }
    }
    expect(statuses.filter((s) => s === 'kept')).toHaveLength(PER_ADDRESS);
    expect(statuses.slice(PER_ADDRESS).every((s) => s === 'not kept')).toBe(true);

    // Someone else behind another address is not affected.
    const neighbour = await postFrom('203.0.113.6', FINAL_STEP, finalStep('From next door.'));
    expect(keptCookie(neighbour)).toBeDefined();

    const after = await stored();
    expect(after.forms - before.forms).toBe(PER_ADDRESS + 1);
    expect(after.bytes - before.bytes).toBeLessThanOrEqual((PER_ADDRESS + 1) * FORM_BYTES);

    // The control: the person signs in and finds what they typed, once.
    const person = await Visitor.signIn(app.server.url, DEMO_ACCOUNTS.founder);
    const page = await fetch(`${app.server.url}${FINAL_STEP}`, {
      headers: { Cookie: `${person.cookie}; ${lastKept}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Typed ${PER_ADDRESS - 1}. zzz`);
    expect((await stored()).forms).toBe(after.forms - 1);
  },
);

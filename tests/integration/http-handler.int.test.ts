import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { PGliteDialect } from '#db/pglite-dialect';
import type { Consultation, DB, Recommendation } from '#db/schema';
import { BAD_CREDENTIALS } from '~/.server/auth';
import { hashSessionId } from '~/.server/auth/adapter';
import { formTokenFor } from '~/.server/form-token';
import { UNAVAILABLE_MESSAGE } from '~/.server/unavailable';
import * as consultationPage from '~/routes/consultations.$slug._index';
import * as recommendationPage from '~/routes/consultations.$slug.recommendations.$recommendation';
import * as answerStep from '~/routes/consultations.$slug.respond.recommendations.$recommendation';
import * as login from '~/routes/login';
import * as organiseConsultation from '~/routes/organise.$slug._index';
import type { Backend } from '#tests/support/db';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createRecommendation,
  createUser,
  type TestUser,
} from '#tests/support/factories';
import {
  callAction,
  callLoader,
  formRequest,
  loadContext,
  pageRequest,
  setCookie,
  type Outcome,
} from '#tests/support/route-calls';

// handler() (app/.server/http.ts) is the seam between Remix and the services: these tests run
// real route modules through it with the test database in the load context, as server.js does
// with the server's.

/** A database that cannot answer: what the request meets when the database is down or busy. */
async function unavailableDb(backend: Backend) {
  if (backend === 'pg') {
    // Nothing listens on port 1: every connection is refused, as when Postgres is down.
    const pool = new pg.Pool({
      connectionString: 'postgres://root@127.0.0.1:1/none',
      connectionTimeoutMillis: 1_000,
    });
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, destroy: () => db.destroy() };
  }
  // PGlite's one connection held by a long piece of work: the request gives up its wait. (The
  // migrated template opens in well under a second; an empty PGlite takes several to create.)
  const pglite = await PGlite.create({
    loadDataDir: new Blob([readFileSync(inject('pgliteTemplatePath'))]),
  });
  const db = new Kysely<DB>({
    dialect: new PGliteDialect(
      async () => pglite,
      () => {},
      { acquireTimeoutMs: 50 },
    ),
  });
  let release = () => {};
  const holding = db.connection().execute(() => new Promise<void>((r) => (release = r)));
  return {
    db,
    async destroy() {
      release();
      await holding;
      await db.destroy();
    },
  };
}

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    let consultation: Consultation;
    let recommendation: Recommendation;
    let respondent: TestUser;
    let recommendationPath: string;
    let params: { slug: string; recommendation: string };

    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
      consultation = await createConsultation(db, { status: 'open' });
      recommendation = await createRecommendation(db, consultation.id);
      respondent = await createUser(db);
      params = { slug: consultation.slug, recommendation: recommendation.slug };
      recommendationPath = `/consultations/${consultation.slug}/recommendations/${recommendation.slug}`;
    });
    afterAll(() => t?.destroy());

    /** Signs in through the sign-in page's action; returns the session cookie's pair. */
    async function signIn(user: TestUser) {
      const outcome = await callAction(
        login,
        db,
        formRequest('/login', { email: user.email, password: user.password, redirectTo: '/' }),
      );
      expect(outcome.status).toBe(302);
      const cookie = setCookie(outcome, 'oc_session');
      expect(cookie, 'a session cookie').not.toBeNull();
      return cookie!;
    }

    async function endorsementsOf(userId: string) {
      return db
        .selectFrom('endorsements')
        .select('id')
        .where('user_id', '=', userId)
        .where('recommendation_id', '=', recommendation.id)
        .execute();
    }

    async function parkedFormsOf(path: string) {
      const rows = await db
        .selectFrom('parked_forms')
        .select('form_values')
        .where('path', '=', path)
        .execute();
      return rows.map((r) => r.form_values);
    }

    async function accessDenials(userId: string) {
      return db
        .selectFrom('audit_events')
        .select(['target_type', 'target_id', 'after', 'request_id'])
        .where('actor_id', '=', userId)
        .where('action', '=', 'access.denied')
        .execute();
    }

    test('a loader gets the load context’s database and returns its data; a signed-in page is marked personal', async () => {
      const anonymous = await callLoader(
        consultationPage,
        db,
        pageRequest(`/consultations/${consultation.slug}`),
        { params: { slug: consultation.slug } },
      );
      expect(anonymous).toMatchObject({ thrown: false, status: 200 });
      expect(anonymous.data).toMatchObject({
        consultation: { slug: consultation.slug, title: consultation.title },
      });
      expect(anonymous.context.personal).toBeUndefined();

      const cookie = await signIn(respondent);
      const signedIn = await callLoader(
        consultationPage,
        db,
        pageRequest(`/consultations/${consultation.slug}`, { cookie }),
        { params: { slug: consultation.slug } },
      );
      expect(signedIn.status).toBe(200);
      expect(signedIn.context.personal).toBe(true);
    });

    test('the loaders of one request read the session once; after an action they read it again', async () => {
      const path = `/consultations/${consultation.slug}`;
      const params = { slug: consultation.slug };
      // Sessions are stored by the hash of the cookie's value.
      const sessionOf = (cookie: string) => hashSessionId(cookie.slice('oc_session='.length));
      /** Whether this call's loader saw a signed-in viewer. */
      async function signedInOn(context: ReturnType<typeof loadContext>, cookie: string) {
        context.personal = undefined;
        const outcome = await callLoader(consultationPage, db, pageRequest(path, { cookie }), {
          params,
          context,
        });
        return outcome.context.personal === true;
      }
      const cookie = await signIn(respondent);
      const request = loadContext(db);
      expect(await signedInOn(request, cookie)).toBe(true);
      await db.deleteFrom('sessions').where('id', '=', sessionOf(cookie)).execute();
      // The root and the route loader of one request: a new Request object, the same context.
      expect(await signedInOn(request, cookie)).toBe(true);
      expect(await signedInOn(loadContext(db), cookie)).toBe(false);

      const again = await signIn(respondent);
      const post = loadContext(db);
      expect(await signedInOn(post, again)).toBe(true);
      await db.deleteFrom('sessions').where('id', '=', sessionOf(again)).execute();
      await callAction(
        login,
        db,
        formRequest('/login', { email: 'x@example.test', password: 'y' }),
        {
          context: post,
        },
      );
      expect(await signedInOn(post, again)).toBe(false);
    });

    test('signing in through the action redirects to where the person was going with a session cookie', async () => {
      const outcome = await callAction(
        login,
        db,
        formRequest('/login', {
          email: respondent.email,
          password: respondent.password,
          redirectTo: recommendationPath,
        }),
      );
      expect(outcome).toMatchObject({ thrown: false, status: 302, location: recommendationPath });
      expect(setCookie(outcome, 'oc_session')).toMatch(/^oc_session=.+/);
    });

    test('an unknown consultation is a 404 page, thrown with its message', async () => {
      const outcome = await callLoader(
        consultationPage,
        db,
        pageRequest('/consultations/no-such-consultation'),
        { params: { slug: 'no-such-consultation' } },
      );
      expect(outcome).toMatchObject({ thrown: true, status: 404 });
      expect(outcome.data).toEqual({ message: 'We could not find that consultation.' });
    });

    test('a form that fails its schema comes back as a 400 with field errors and what was typed', async () => {
      const outcome = await callAction(
        login,
        db,
        formRequest('/login', { email: 'not an address', password: '', redirectTo: '/' }),
      );
      expect(outcome).toMatchObject({ thrown: false, status: 400 });
      const failure = outcome.data as { fieldErrors: Record<string, string[]>; values: object };
      expect(Object.keys(failure.fieldErrors).sort()).toEqual(['email', 'password']);
      expect(failure.values).toEqual({ email: 'not an address', redirectTo: '/' });
    });

    test('a broken rule the person can fix is returned on the form with its status, message and field errors', async () => {
      const wrong = await callAction(
        login,
        db,
        formRequest('/login', {
          email: respondent.email,
          password: 'not the password',
          redirectTo: '/',
        }),
      );
      expect(wrong).toMatchObject({ thrown: false, status: 422 });
      expect(wrong.data).toMatchObject({ ok: false, formError: BAD_CREDENTIALS });
      // The password typed is never sent back.
      expect(wrong.data).toMatchObject({ values: { email: respondent.email, redirectTo: '/' } });
      expect((wrong.data as { values: object }).values).not.toHaveProperty('password');

      const cookie = await signIn(respondent);
      const onBehalf = await callAction(
        recommendationPage,
        db,
        formRequest(
          recommendationPath,
          {
            intent: 'endorse',
            onBehalfOfOrganisation: 'on',
            idempotencyKey: randomUUID(),
          },
          { cookie },
        ),
        { params },
      );
      expect(onBehalf).toMatchObject({ thrown: false, status: 422 });
      expect(onBehalf.data).toMatchObject({
        formError: 'Add your organisation to your profile first',
        fieldErrors: {
          onBehalfOfOrganisation: [
            'Add your organisation to your profile before endorsing on its behalf',
          ],
        },
        values: { intent: 'endorse', onBehalfOfOrganisation: 'on' },
      });
      expect(await endorsementsOf(respondent.id)).toHaveLength(0);
    });

    test('endorsing a closed consultation is a 409 on the form', async () => {
      const closed = await createConsultation(db, {
        status: 'closed',
        opens_at: new Date(Date.now() - 2 * 86_400_000),
        closes_at: new Date(Date.now() - 86_400_000),
      });
      const closedRecommendation = await createRecommendation(db, closed.id);
      const cookie = await signIn(respondent);
      const outcome = await callAction(
        recommendationPage,
        db,
        formRequest(
          `/consultations/${closed.slug}/recommendations/${closedRecommendation.slug}`,
          { intent: 'endorse', idempotencyKey: randomUUID() },
          { cookie },
        ),
        { params: { slug: closed.slug, recommendation: closedRecommendation.slug } },
      );
      expect(outcome).toMatchObject({ thrown: false, status: 409 });
      expect((outcome.data as { formError: string }).formError).toMatch(/closed/i);
    });

    test('a questionnaire page sent after the session ended is parked, and shown again once after signing in', async () => {
      const path = `/consultations/${consultation.slug}/respond/recommendations/${recommendation.slug}`;
      const typed = {
        stance: 'support',
        reasons: 'Typed before the session ended.',
        idempotencyKey: randomUUID(),
      };
      const refused = await callAction(answerStep, db, formRequest(path, typed), { params });
      expect(refused).toMatchObject({ thrown: true, status: 302 });
      expect(refused.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}&kept=1`);
      const parked = setCookie(refused, 'oc_parked');
      expect(parked).not.toBeNull();
      expect(await parkedFormsOf(path)).toEqual([typed]);

      const cookie = [await signIn(respondent), parked!];
      const shown = await callLoader(answerStep, db, pageRequest(path, { cookie }), { params });
      expect(shown.status).toBe(200);
      expect((shown.data as { parked: unknown }).parked).toEqual(typed);
      // Taking it clears the cookie, on whatever answer goes out.
      expect(shown.context.responseCookies.some((c) => c.startsWith('oc_parked=;'))).toBe(true);
      const again = await callLoader(answerStep, db, pageRequest(path, { cookie }), { params });
      expect((again.data as { parked: unknown }).parked).toBeNull();
    });

    test('a signed-out post to a page that does not keep forms redirects to sign in without parking it', async () => {
      const outcome = await callAction(
        recommendationPage,
        db,
        formRequest(recommendationPath, { intent: 'endorse', idempotencyKey: randomUUID() }),
        { params },
      );
      expect(outcome).toMatchObject({ thrown: true, status: 302 });
      expect(outcome.location).toBe(`/login?redirectTo=${encodeURIComponent(recommendationPath)}`);
      expect(setCookie(outcome, 'oc_parked')).toBeNull();
      expect(await parkedFormsOf(recommendationPath)).toEqual([]);
    });

    test('a signed-in respondent refused an organiser’s form gets a 403, and the refusal is audited', async () => {
      const person = await createUser(db);
      const cookie = await signIn(person);
      const path = `/organise/${consultation.slug}`;
      const context = loadContext(db);
      const outcome = await callAction(
        organiseConsultation,
        db,
        formRequest(path, { intent: 'open', version: String(consultation.version) }, { cookie }),
        { params: { slug: consultation.slug }, context },
      );
      expect(outcome).toMatchObject({ thrown: true, status: 403 });
      expect(await accessDenials(person.id)).toEqual([
        {
          target_type: 'path',
          target_id: path,
          after: { method: 'POST' },
          request_id: context.requestId,
        },
      ]);
    });

    test('a signed-in post with neither Origin nor a form token is refused and audited; with the token it goes through', async () => {
      const person = await createUser(db);
      const cookie = await signIn(person);
      const form = { intent: 'endorse', idempotencyKey: randomUUID() };
      const refused = await callAction(
        recommendationPage,
        db,
        formRequest(recommendationPath, form, { cookie, origin: null }),
        { params },
      );
      expect(refused).toMatchObject({ thrown: true, status: 403 });
      expect(await accessDenials(person.id)).toHaveLength(1);
      expect(await endorsementsOf(person.id)).toHaveLength(0);

      const sessionId = cookie.slice('oc_session='.length);
      const accepted = await callAction(
        recommendationPage,
        db,
        formRequest(
          recommendationPath,
          { ...form, _token: formTokenFor(sessionId) },
          { cookie, origin: null },
        ),
        { params },
      );
      expect(accepted).toMatchObject({ thrown: false, status: 302 });
      expect(await endorsementsOf(person.id)).toHaveLength(1);
    });

    test('the same endorse form sent twice answers as the first and counts once, and not again after a withdrawal', async () => {
      const person = await createUser(db);
      const cookie = await signIn(person);
      const send = async (form: Record<string, string>) => {
        const outcome: Outcome = await callAction(
          recommendationPage,
          db,
          formRequest(recommendationPath, form, { cookie }),
          { params },
        );
        return { status: outcome.status, location: outcome.location };
      };
      const endorseForm = { intent: 'endorse', idempotencyKey: randomUUID() };
      const first = await send(endorseForm);
      const retry = await send(endorseForm);
      expect(first).toEqual({
        status: 302,
        location: `${recommendationPath}?notice=endorsed#endorsements`,
      });
      expect(retry).toEqual(first);
      expect(await endorsementsOf(person.id)).toHaveLength(1);

      const withdrawn = await send({ intent: 'withdraw', idempotencyKey: randomUUID() });
      expect(withdrawn.location).toContain('notice=withdrawn');
      expect(await send(endorseForm)).toEqual(first);
      expect(await endorsementsOf(person.id)).toHaveLength(0);
    });

    test('when the database cannot answer, a form gets a 503 that keeps what was typed except the password', async () => {
      const down = await unavailableDb(backend);
      try {
        const outcome = await callAction(
          login,
          down.db,
          formRequest('/login?redirectTo=%2Faccount', {
            email: respondent.email,
            password: respondent.password,
            redirectTo: '/account',
          }),
        );
        expect(outcome).toMatchObject({ thrown: true, status: 503 });
        expect(outcome.headers.get('Retry-After')).toBe('5');
        expect(outcome.data).toEqual({
          message: UNAVAILABLE_MESSAGE,
          retry: {
            action: '/login?redirectTo=%2Faccount',
            values: { email: respondent.email, redirectTo: '/account' },
            secretFields: ['password'],
          },
        });

        const page = await callLoader(
          consultationPage,
          down.db,
          pageRequest(`/consultations/${consultation.slug}`),
          { params: { slug: consultation.slug } },
        );
        expect(page).toMatchObject({ thrown: true, status: 503 });
        expect(page.data).toEqual({ message: UNAVAILABLE_MESSAGE, retry: null });
      } finally {
        await down.destroy();
      }
    });
  });
}

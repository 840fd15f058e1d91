import { Kysely } from 'kysely';
import { createDialect } from '#db/dialect';
import type { DB, NewConsultation } from '#db/schema';
import { createConsultation, createRecommendation, createUser, grantRole } from './factories';
import { E2E_EMPTY_ENV, startServer, type TestServer } from './server';

// Browser tests that make the data they need instead of reading the demo seed: the server starts
// on a copy of a migrated folder with no demo data (see e2e-setup.ts), after `create` has written
// the test's own rows into it with the factories (factories.ts). PGlite is a single process's
// folder, so the rows are written before the server opens it, and the test is handed back
// whatever `create` returned (slugs, accounts) to drive the pages with.

/**
 * Starts a server on a fresh, empty, migrated database holding only what `create` makes.
 * Opening the folder here first costs about as much as the demo's seed check saves the server
 * (measured on a loaded 2-core machine: level on one run, 2–3 s more on others); start it
 * beside the browser's launch, as the tests do.
 */
export async function startFixtureServer<T>(
  create: (db: Kysely<DB>) => Promise<T>,
  env: Record<string, string> = {},
): Promise<{ server: TestServer; fixtures: T }> {
  const template = process.env.E2E_EMPTY_PGLITE_TEMPLATE;
  if (!template) throw new Error('No empty e2e database template: is e2e-setup.ts the setup?');
  let fixtures: T | undefined;
  const server = await startServer(
    { ...E2E_EMPTY_ENV, ...env },
    {
      template,
      async prepare(pgliteDir) {
        const db = new Kysely<DB>({
          dialect: createDialect({ kind: 'pglite', dir: pgliteDir }, () => {}),
        });
        try {
          fixtures = await create(db);
        } finally {
          // Closes PGlite and releases the folder's lock before the server takes it.
          await db.destroy();
        }
      },
    },
  );
  return { server, fixtures: fixtures as T };
}

/**
 * What most journeys start from: an open consultation with `recommendations` recommendations
 * (three unless told), and an account that organises every consultation (a site-wide role).
 */
export async function createOpenConsultation(
  db: Kysely<DB>,
  options: { recommendations?: number; consultation?: Partial<NewConsultation> } = {},
) {
  const consultation = await createConsultation(db, { status: 'open', ...options.consultation });
  const recommendations = [];
  for (let i = 0; i < (options.recommendations ?? 3); i++) {
    recommendations.push(await createRecommendation(db, consultation.id));
  }
  const organiser = await createUser(db, {
    displayName: 'Fixture Organiser',
    segment: 'other',
    segmentOther: 'Organiser',
  });
  await grantRole(db, organiser.id, 'organiser');
  return { consultation, recommendations, organiser };
}

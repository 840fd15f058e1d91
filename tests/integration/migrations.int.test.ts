import { sql, type Kysely } from 'kysely';
import { describe, expect, test } from 'vitest';
import { migrateDown, migrateToLatest } from '#db/migrate';
import { migrations } from '#db/migrations/index';
import type { DB } from '#db/schema';
import { BACKENDS, createTestDb, withSchemaChangeLock } from '#tests/support/db';
import { createConsultation, createUser } from '#tests/support/factories';

const APP_TABLES = [
  'audit_events',
  'comment_reports',
  'comment_votes',
  'comments',
  'consultations',
  'email_outbox',
  'email_preferences',
  'email_tokens',
  'endorsement_counts',
  'endorsements',
  'idempotency_keys',
  'moderation_appeals',
  'moderation_decisions',
  'notifications',
  'outcome_updates',
  'parked_forms',
  'rate_limit_buckets',
  'rate_limits',
  'recommendation_changes',
  'recommendations',
  'respondent_profiles',
  'response_answers',
  'response_versions',
  'responses',
  'result_answer_counts',
  'result_answer_counts_expected',
  'result_comment_counts',
  'result_comment_counts_expected',
  'result_daily_counts',
  'result_daily_counts_expected',
  'result_phrase_counts',
  'result_phrase_counts_expected',
  'result_response_counts',
  'result_response_counts_expected',
  'role_grants',
  'role_invitations',
  'sessions',
  'signing_keys',
  'submitted_answers',
  'summaries',
  'summary_recommendations',
  'summary_versions',
  'suspension_hidden_comments',
  'suspensions',
  'users',
  'verification_requests',
];

async function appTables(db: Kysely<DB>) {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'kysely%'
    order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

for (const backend of BACKENDS) {
  describe(backend, () => {
    test('a fresh database is migrated to the latest migration, with every table', async () => {
      const { db, destroy } = await createTestDb(backend);
      try {
        expect(await appTables(db)).toEqual(APP_TABLES);
        const applied = await sql<{
          name: string;
        }>`select name from kysely_migration order by name`.execute(db);
        expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
        // Migrating an up-to-date database is a no-op.
        expect((await migrateToLatest(db)).results).toEqual([]);
      } finally {
        await destroy();
      }
    });

    test('migrating down removes every table; migrating up again gives a working schema', async () => {
      const { db, destroy } = await createTestDb(backend);
      try {
        const names = Object.keys(migrations).sort();
        // Only the shared Postgres needs the lock; PGlite is a database of its own.
        const changeSchema =
          backend === 'pg' ? withSchemaChangeLock : <T>(f: () => Promise<T>) => f();
        await changeSchema(async () => {
          for (let step = 0; step < names.length; step++) {
            const down = await migrateDown(db);
            expect(down.results?.[0]).toMatchObject({ direction: 'Down', status: 'Success' });
          }
        });
        expect(await appTables(db)).toEqual([]);

        const up = await changeSchema(() => migrateToLatest(db));

        expect(up.results?.map((r) => r.migrationName)).toEqual(names);
        expect(await appTables(db)).toEqual(APP_TABLES);
        const user = await createUser(db);
        const consultation = await createConsultation(db, { created_by: user.id });
        expect(consultation.created_by).toBe(user.id);
        // The append-only trigger came back with the table.
        await db
          .insertInto('audit_events')
          .values({ actor_id: user.id, action: 'test', target_type: 'user', target_id: user.id })
          .execute();
        await expect(db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
      } finally {
        await destroy();
      }
    });

    if (backend === 'pg') {
      test('pg: a schema is migrated on its own even when another schema in the database already is', async () => {
        // Each test database is a schema of the same Postgres database; the second must get its
        // own tables rather than be mistaken for migrated because the first has Kysely's tables.
        const first = await createTestDb('pg');
        const second = await createTestDb('pg');
        try {
          await createUser(first.db, { email: 'only-in-first@example.test' });

          expect(await appTables(second.db)).toEqual(APP_TABLES);
          const inSecond = await second.db.selectFrom('users').select('email').execute();
          expect(inSecond).toEqual([]);
        } finally {
          await first.destroy();
          await second.destroy();
        }
      });
    }
  });
}

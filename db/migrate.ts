import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index';

// Without `migrationTableSchema`, Kysely looks for its migration tables in every schema of the
// database, so one shared with another schema's app (or a test schema) looks migrated already.
// Bind the migrator to the schema our own queries resolve to.
async function createMigrator(db: Kysely<any>) {
  const query = sql<{ schema: string | null }>`select current_schema() as schema`;
  const schema = (await query.execute(db)).rows[0]?.schema ?? undefined;
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
  });
}

/** Brings the schema to the latest migration. Kysely's migrator takes a lock, so it is safe to
 * call from several app instances starting at once. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await (await createMigrator(db)).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

export async function migrateDown(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await (await createMigrator(db)).migrateDown();
  if (result.error) throw result.error;
  return result;
}

import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema';

/** True when the database answers a trivial query. */
export async function databaseIsHealthy(db: Kysely<DB>) {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

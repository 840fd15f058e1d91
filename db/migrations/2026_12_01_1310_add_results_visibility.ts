import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // When the public may read a consultation's results: 'during' (from the moment it opens) or
  // 'after_close' (the default, so early results cannot sway those still to respond).
  // Organisers see their results at any time.
  await db.schema
    .alterTable('consultations')
    .addColumn('results_visibility', 'text', (c) =>
      c
        .notNull()
        .defaultTo('after_close')
        .check(sql`results_visibility in ('during', 'after_close')`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consultations').dropColumn('results_visibility').execute();
}

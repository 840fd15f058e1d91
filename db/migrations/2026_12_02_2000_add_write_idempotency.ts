import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per form sent with a key: the first request claims it (the primary key makes a
  // simultaneous copy wait for that request, then find it), and stores what it answered, so a
  // retry of the same form gets the same answer and writes nothing.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'uuid', (c) => c.notNull())
    // What the form does and to what: one page's key can serve several of its forms.
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_id', 'uuid', (c) => c.notNull())
    // So that purging a consultation's personal data takes these links to its people too.
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('result', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['user_id', 'key', 'action', 'target_id'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_consultation_idx')
    .on('idempotency_keys')
    .column('consultation_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}

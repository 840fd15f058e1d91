import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // A role offered to an email address. It becomes a role_grants row only when an account whose
  // confirmed address is that address accepts it, so a role never goes to whoever happened to
  // register the address first. Only the SHA-256 of the emailed token is kept.
  await db.schema
    .createTable('role_invitations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) =>
      c.notNull().check(sql`email = lower(email) and length(email) between 3 and 254`),
    )
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('moderator', 'organiser')`))
    // Null: site-wide (only the command line offers those).
    .addColumn('consultation_id', 'uuid', (c) =>
      c.references('consultations.id').onDelete('cascade'),
    )
    .addColumn('invited_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('accepted_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revoked_at', 'timestamptz')
    .addCheckConstraint(
      'role_invitations_one_outcome',
      sql`accepted_at is null or revoked_at is null`,
    )
    .execute();
  // One open invitation per address, role and place: inviting again renews it instead.
  await sql`create unique index role_invitations_open_idx
    on role_invitations (email, role, consultation_id) nulls not distinct
    where accepted_at is null and revoked_at is null`.execute(db);
  await db.schema
    .createIndex('role_invitations_consultation_idx')
    .on('role_invitations')
    .columns(['consultation_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('role_invitations').execute();
}

import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // A suspension stops an account taking part (it can still read). Lifting keeps the row, so the
  // history of sanctions stays readable; ends_at null means until lifted.
  await db.schema
    .createTable('suspensions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`length(reason) between 1 and 1000`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ends_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('lifted_at', 'timestamptz')
    .addColumn('lifted_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('lift_reason', 'text', (c) => c.check(sql`length(lift_reason) between 1 and 1000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('suspensions_ends_after_start', sql`ends_at is null or ends_at > starts_at`)
    .addCheckConstraint(
      'suspensions_lifted_together',
      sql`(lifted_at is null) = (lift_reason is null)`,
    )
    .execute();
  // At most one suspension not yet lifted per account; an expired one is closed when replaced.
  await sql`create unique index suspensions_one_current_idx on suspensions (user_id)
    where lifted_at is null`.execute(db);

  // Comments a suspension hid in one action, with the status each had, so lifting the
  // suspension (or restoring the content) puts back exactly those and nothing else.
  await db.schema
    .createTable('suspension_hidden_comments')
    .addColumn('suspension_id', 'uuid', (c) =>
      c.notNull().references('suspensions.id').onDelete('cascade'),
    )
    .addColumn('comment_id', 'uuid', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('previous_status', 'text', (c) =>
      c.notNull().check(sql`previous_status in ('visible', 'held')`),
    )
    .addColumn('restored_at', 'timestamptz')
    .addPrimaryKeyConstraint('suspension_hidden_comments_pkey', ['suspension_id', 'comment_id'])
    .execute();

  // A respondent asks the organisers to confirm their organisation and role.
  await db.schema
    .createTable('verification_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organisation', 'text', (c) =>
      c.notNull().check(sql`length(organisation) between 1 and 200`),
    )
    .addColumn('role', 'text', (c) => c.notNull().check(sql`length(role) between 1 and 200`))
    .addColumn('evidence', 'text', (c) =>
      c.notNull().check(sql`length(evidence) between 1 and 2000`),
    )
    .addColumn('evidence_url', 'text', (c) =>
      c.check(sql`evidence_url ~ '^https?://' and length(evidence_url) <= 2000`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'approved', 'rejected', 'revoked')`),
    )
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text', (c) =>
      c.check(sql`length(decision_note) between 1 and 1000`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One open request per person: a double submit or a second tab cannot queue two.
  await sql`create unique index verification_requests_one_pending_idx
    on verification_requests (user_id) where status = 'pending'`.execute(db);
  await db.schema
    .createIndex('verification_requests_status_idx')
    .on('verification_requests')
    .columns(['status', 'created_at', 'id'])
    .execute();

  // The role a verification confirmed ("founder", "partner"), shown with the badge.
  await db.schema.alterTable('respondent_profiles').addColumn('verified_role', 'text').execute();

  // Filters of the audit log browse by actor and action over the newest entries first.
  await db.schema
    .createIndex('audit_events_actor_idx')
    .on('audit_events')
    .columns(['actor_id', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_events_action_idx')
    .on('audit_events')
    .columns(['action', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_events_action_idx').execute();
  await db.schema.dropIndex('audit_events_actor_idx').execute();
  await db.schema.alterTable('respondent_profiles').dropColumn('verified_role').execute();
  await db.schema.dropTable('verification_requests').execute();
  await db.schema.dropTable('suspension_hidden_comments').execute();
  await db.schema.dropTable('suspensions').execute();
}

import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) =>
      c.notNull().check(sql`email = lower(email) and length(email) between 3 and 254`),
    )
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('users_email_key', ['email'])
    .execute();

  // Lucia sessions. `id` is the SHA-256 (hex) of the secret in the cookie, never the secret.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('respondent_profiles')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) =>
      c.notNull().check(sql`length(display_name) between 1 and 100`),
    )
    .addColumn('organisation', 'text', (c) => c.check(sql`length(organisation) between 1 and 200`))
    .addColumn('segment', 'text', (c) =>
      c.notNull().check(sql`segment in ('founder', 'investor', 'other')`),
    )
    .addColumn('segment_other', 'text', (c) =>
      c.check(sql`length(segment_other) between 1 and 100`),
    )
    .addColumn('verified', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'respondent_profiles_other_described',
      sql`(segment = 'other') = (segment_other is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('respondent_profiles_segment_idx')
    .on('respondent_profiles')
    .column('segment')
    .execute();

  await db.schema
    .createTable('consultations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('slug', 'text', (c) =>
      c.notNull().check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80`),
    )
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 200`))
    .addColumn('summary', 'text', (c) => c.notNull().check(sql`length(summary) between 1 and 1000`))
    .addColumn('body', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(body) <= 50000`),
    )
    .addColumn('run_by', 'text', (c) => c.notNull().check(sql`length(run_by) between 1 and 200`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'open', 'closed', 'published')`),
    )
    .addColumn('opens_at', 'timestamptz')
    .addColumn('closes_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('consultations_slug_key', ['slug'])
    .addCheckConstraint(
      'consultations_dates_ordered',
      sql`opens_at is null or closes_at is null or closes_at > opens_at`,
    )
    .addCheckConstraint(
      'consultations_open_needs_close_date',
      sql`status = 'draft' or closes_at is not null`,
    )
    .execute();
  await db.schema
    .createIndex('consultations_status_idx')
    .on('consultations')
    .columns(['status', 'closes_at'])
    .execute();

  // `number` is the recommendation's position in its consultation; reordering renumbers, so the
  // uniqueness is checked at commit to let a transaction swap two numbers.
  await db.schema
    .createTable('recommendations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull().check(sql`number between 1 and 500`))
    .addColumn('slug', 'text', (c) =>
      c.notNull().check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80`),
    )
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 200`))
    .addColumn('summary', 'text', (c) => c.notNull().check(sql`length(summary) between 1 and 1000`))
    .addColumn('rationale', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(rationale) <= 50000`),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('recommendations_slug_key', ['consultation_id', 'slug'])
    .execute();
  await sql`alter table recommendations add constraint recommendations_number_key
    unique (consultation_id, number) deferrable initially deferred`.execute(db);

  // Moderator and organiser roles; a null consultation means the role applies site-wide.
  // Every signed-in account is a respondent, so that role is not stored.
  await db.schema
    .createTable('role_grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('moderator', 'organiser')`))
    .addColumn('consultation_id', 'uuid', (c) =>
      c.references('consultations.id').onDelete('cascade'),
    )
    .addColumn('granted_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index role_grants_unique_idx
    on role_grants (user_id, role, consultation_id) nulls not distinct`.execute(db);

  // Append-only: the trigger below refuses any UPDATE, DELETE or TRUNCATE.
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('consultation_id', 'uuid')
    .addColumn('reason', 'text')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema
    .createIndex('audit_events_consultation_idx')
    .on('audit_events')
    .columns(['consultation_id', 'id'])
    .execute();
  await sql`create function audit_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger audit_events_append_only before update or delete on audit_events
    for each row execute function audit_events_refuse_change()`.execute(db);
  await sql`create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_refuse_change()`.execute(db);

  // Fixed-window counters for rate limits, shared by every app instance.
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
  await db.schema.dropTable('audit_events').execute();
  await sql`drop function audit_events_refuse_change()`.execute(db);
  await db.schema.dropTable('role_grants').execute();
  await db.schema.dropTable('recommendations').execute();
  await db.schema.dropTable('consultations').execute();
  await db.schema.dropTable('respondent_profiles').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('users').execute();
}

import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // Consent is an active choice (UK GDPR): a draft has none until the respondent picks one, so the
  // column loses its 'anonymous' default. Existing rows keep their values. A submitted response
  // always carries a choice.
  await sql`alter table responses alter column consent drop default`.execute(db);
  await sql`alter table responses alter column consent drop not null`.execute(db);
  await sql`alter table responses add constraint responses_submitted_has_consent
    check (status = 'draft' or consent is not null)`.execute(db);

  // Token buckets for limits that must allow bursts (a room of people on one network signing up
  // at once) and refill steadily. `tokens` is what was left at `updated_at`; the refill since
  // then is worked out in the same statement that takes a token.
  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // An author's request to review a moderator's decision: once per decision (unique), back in the
  // queue until a moderator decides again (resolved_at).
  await db.schema
    .createTable('moderation_appeals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('decision_id', 'uuid', (c) =>
      c.notNull().unique().references('moderation_decisions.id').onDelete('cascade'),
    )
    .addColumn('item_type', 'text', (c) =>
      c.notNull().check(sql`item_type in ('comment', 'quote')`),
    )
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('comment_id', 'uuid', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('response_id', 'uuid', (c) => c.references('responses.id').onDelete('cascade'))
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.references('recommendations.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`length(reason) between 1 and 1000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by_decision_id', 'uuid', (c) =>
      c.references('moderation_decisions.id').onDelete('set null'),
    )
    .execute();
  // The queue looks up open appeals by item.
  await sql`create index moderation_appeals_open_idx on moderation_appeals (item_key)
    where resolved_at is null`.execute(db);

  // A message about a decision that may be appealed carries it, so the page can offer the link.
  await db.schema
    .alterTable('notifications')
    .addColumn('appeal_decision_id', 'uuid', (c) =>
      c.references('moderation_decisions.id').onDelete('set null'),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('appeal_decision_id').execute();
  await db.schema.dropTable('moderation_appeals').execute();
  await db.schema.dropTable('rate_limit_buckets').execute();
  await sql`alter table responses drop constraint responses_submitted_has_consent`.execute(db);
  await sql`update responses set consent = 'anonymous' where consent is null`.execute(db);
  await sql`alter table responses alter column consent set default 'anonymous'`.execute(db);
  await sql`alter table responses alter column consent set not null`.execute(db);
}

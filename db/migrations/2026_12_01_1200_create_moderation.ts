import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // Per-consultation moderation policy. Under pre-moderation every new comment is held and every
  // quotable reason waits for a moderator; house rules are markdown shown beside comment forms.
  await db.schema
    .alterTable('consultations')
    .addColumn('moderation_mode', 'text', (c) =>
      c
        .notNull()
        .defaultTo('post')
        .check(sql`moderation_mode in ('post', 'pre')`),
    )
    .addColumn('house_rules', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(house_rules) <= 5000`),
    )
    .execute();

  // A comment can now also be held because the consultation is pre-moderated.
  await sql`alter table comments drop constraint comments_held_reason_check`.execute(db);
  await sql`alter table comments add constraint comments_held_reason_check
    check (held_reason in ('links', 'duplicate', 'pre_moderation'))`.execute(db);

  // Review state kept on the item itself, so the queue is one indexed read: when a moderator
  // last decided (reports after that need a new look) and whether it waits for an organiser.
  for (const table of ['comments', 'submitted_answers']) {
    await db.schema
      .alterTable(table)
      .addColumn('reviewed_at', 'timestamptz')
      .addColumn('escalated_at', 'timestamptz')
      .execute();
  }

  // Every decision, append-only. An item is a comment or the quotable reasons of one counted
  // answer (response, recommendation). `seq` numbers an item's decisions: a decision is taken
  // against the number the moderator saw, and the unique key lets exactly one of two
  // simultaneous decisions through. An undo is a new decision pointing at the one it reverses.
  await db.schema
    .createTable('moderation_decisions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('item_type', 'text', (c) =>
      c.notNull().check(sql`item_type in ('comment', 'quote')`),
    )
    .addColumn('comment_id', 'uuid', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('response_id', 'uuid', (c) => c.references('responses.id').onDelete('cascade'))
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.references('recommendations.id').onDelete('cascade'),
    )
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('action', 'text', (c) =>
      c
        .notNull()
        .check(sql`action in ('approve', 'hide', 'restore', 'redact', 'escalate', 'undo')`),
    )
    .addColumn('reason', 'text', (c) =>
      c.check(
        sql`reason in ('personal_data', 'abuse', 'spam', 'off_topic', 'misinformation', 'unlawful', 'other')`,
      ),
    )
    .addColumn('note', 'text', (c) => c.check(sql`length(note) between 1 and 1000`))
    .addColumn('status_before', 'text', (c) => c.notNull())
    .addColumn('status_after', 'text', (c) => c.notNull())
    .addColumn('escalated_before', 'boolean', (c) => c.notNull())
    .addColumn('escalated_after', 'boolean', (c) => c.notNull())
    // The text before and after a redaction; the original is for organisers only.
    .addColumn('body_before', 'text')
    .addColumn('body_after', 'text')
    .addColumn('undoes_id', 'uuid', (c) => c.references('moderation_decisions.id'))
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('bulk', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('moderation_decisions_item_seq', ['item_key', 'seq'])
    // A decision is undone once at most.
    .addUniqueConstraint('moderation_decisions_undone_once', ['undoes_id'])
    .addCheckConstraint(
      'moderation_decisions_item_shape',
      sql`(item_type = 'comment') = (comment_id is not null)
        and (item_type = 'quote') = (response_id is not null and recommendation_id is not null)`,
    )
    .addCheckConstraint(
      'moderation_decisions_hide_has_reason',
      sql`action <> 'hide' or reason is not null`,
    )
    .addCheckConstraint(
      'moderation_decisions_redaction_kept',
      sql`action <> 'redact' or (body_before is not null and body_after is not null)`,
    )
    .addCheckConstraint(
      'moderation_decisions_undo_points',
      sql`(action = 'undo') = (undoes_id is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('moderation_decisions_consultation_idx')
    .on('moderation_decisions')
    .columns(['consultation_id', 'created_at desc'])
    .execute();

  // Decisions are history: nobody rewrites or removes them (cascades from a deleted
  // consultation aside, which remove the items themselves).
  await sql`
    create function moderation_decisions_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'moderation decisions are append-only' using errcode = '55000';
    end $$`.execute(db);
  await sql`
    create trigger moderation_decisions_no_update before update on moderation_decisions
    for each row execute function moderation_decisions_append_only()`.execute(db);

  // The queue reads items needing review by consultation, oldest first.
  await db.schema
    .createIndex('comments_review_idx')
    .on('comments')
    .columns(['consultation_id', 'created_at', 'id'])
    .where(sql<boolean>`status = 'held' or flag_count > 0 or escalated_at is not null`)
    .execute();
  await db.schema
    .createIndex('submitted_answers_review_idx')
    .on('submitted_answers')
    .columns(['consultation_id'])
    .where(sql<boolean>`quote_status <> 'published' or escalated_at is not null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('submitted_answers_review_idx').execute();
  await db.schema.dropIndex('comments_review_idx').execute();
  await db.schema.dropTable('moderation_decisions').execute();
  await sql`drop function moderation_decisions_append_only()`.execute(db);
  for (const table of ['comments', 'submitted_answers']) {
    await db.schema
      .alterTable(table)
      .dropColumn('reviewed_at')
      .dropColumn('escalated_at')
      .execute();
  }
  await sql`update comments set status = 'hidden', held_reason = null
    where held_reason = 'pre_moderation'`.execute(db);
  await sql`alter table comments drop constraint comments_held_reason_check`.execute(db);
  await sql`alter table comments add constraint comments_held_reason_check
    check (held_reason in ('links', 'duplicate'))`.execute(db);
  await db.schema
    .alterTable('consultations')
    .dropColumn('moderation_mode')
    .dropColumn('house_rules')
    .execute();
}

import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // 'placeholder': listed publicly but not open for answers, comments or endorsements until an
  // organiser names it (gives it a title and text), which makes it 'open'.
  await db.schema
    .alterTable('recommendations')
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`state in ('open', 'placeholder')`),
    )
    .execute();

  // Append-only record of retitles, reorders and namings made after responses arrived, shown
  // publicly as dated change notes so receipts and results can be read against the old text.
  await db.schema
    .createTable('recommendation_changes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.notNull().references('recommendations.id').onDelete('cascade'),
    )
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('retitled', 'moved', 'named')`),
    )
    .addColumn('old_title', 'text')
    .addColumn('new_title', 'text')
    .addColumn('old_number', 'integer')
    .addColumn('new_number', 'integer')
    // Responses already received when the change was made, as the organiser was told.
    .addColumn('responses_before', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('recommendation_changes_recommendation_idx')
    .on('recommendation_changes')
    .columns(['recommendation_id', 'created_at'])
    .execute();
  // Append-only: the notes are a public record, so rows can be neither changed nor removed
  // (except by the cascade when the consultation itself is deleted).
  await sql`create function recommendation_changes_append_only() returns trigger
    language plpgsql as $$
    begin
      raise exception 'recommendation_changes is append-only' using errcode = '55000';
    end $$`.execute(db);
  await sql`create trigger recommendation_changes_no_update
    before update on recommendation_changes
    for each row execute function recommendation_changes_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recommendation_changes').execute();
  await sql`drop function if exists recommendation_changes_append_only()`.execute(db);
  await db.schema.alterTable('recommendations').dropColumn('state').execute();
}

import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

const OUTCOMES = `('adopted', 'adopted_with_changes', 'under_consideration', 'not_adopted', 'no_longer_applicable')`;

/** A markdown source column, its stored HTML and the renderer version that made the HTML. */
function withMarkdown(table: CreateTableBuilder<any, any>, source: string, max: number) {
  return table
    .addColumn(source, 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(${sql.ref(source)}) <= ${sql.lit(max)}`),
    )
    .addColumn(`${source}_html`, 'text')
    .addColumn(`${source}_html_version`, 'integer', (c) => c.notNull().defaultTo(0));
}

export async function up(db: Kysely<any>): Promise<void> {
  // Analysing: closed, and the organisers are writing the summary.
  await sql`alter table consultations drop constraint consultations_status_check`.execute(db);
  await sql`alter table consultations add constraint consultations_status_check
    check (status in ('draft', 'open', 'closed', 'analysing', 'published'))`.execute(db);

  // The draft an organiser edits: one per consultation. `version` makes two organisers saving at
  // once see each other instead of one silently overwriting the other.
  const summaries = db.schema
    .createTable('summaries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().unique().references('consultations.id').onDelete('cascade'),
    );
  await withMarkdown(summaries, 'intro', 50000)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Per recommendation: what people said, what is done about it, and the evidence cited.
  // `quotes` and `citations` are arrays of references (see app/lib/schemas/summaries.ts), checked
  // by the service on every save and again when publishing.
  let parts = db.schema
    .createTable('summary_recommendations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('summary_id', 'uuid', (c) =>
      c.notNull().references('summaries.id').onDelete('cascade'),
    )
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.notNull().unique().references('recommendations.id').onDelete('cascade'),
    );
  for (const source of ['you_said', 'we_did', 'outcome_reasons']) {
    parts = withMarkdown(parts, source, 20000);
  }
  await parts
    .addColumn('outcome_status', 'text', (c) => c.check(sql.raw(`outcome_status in ${OUTCOMES}`)))
    .addColumn('quotes', 'jsonb', (c) =>
      c
        .notNull()
        .defaultTo(sql`'[]'::jsonb`)
        .check(sql`jsonb_typeof(quotes) = 'array' and jsonb_array_length(quotes) <= 20`),
    )
    .addColumn('citations', 'jsonb', (c) =>
      c
        .notNull()
        .defaultTo(sql`'[]'::jsonb`)
        .check(sql`jsonb_typeof(citations) = 'array' and jsonb_array_length(citations) <= 50`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // What was published: immutable. A correction is a new row with the next number. No foreign
  // key on published_by (as on audit_events.actor_id), so deleting that account rewrites nothing;
  // the consultation's key has no cascade, so a consultation with a published summary cannot be
  // deleted by accident.
  await db.schema
    .createTable('summary_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consultation_id', 'uuid', (c) => c.notNull().references('consultations.id'))
    .addColumn('number', 'integer', (c) => c.notNull().check(sql`number >= 1`))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_by', 'uuid')
    // The draft's version it was made from: a second publish of the same draft is the same one.
    .addColumn('draft_version', 'integer', (c) => c.notNull())
    .addColumn('change_note', 'text', (c) => c.check(sql`length(change_note) <= 2000`))
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) =>
      c.notNull().check(sql`content_hash ~ '^[0-9a-f]{64}$'`),
    )
    .addColumn('licence', 'text', (c) => c.check(sql`length(licence) between 1 and 200`))
    .addUniqueConstraint('summary_versions_number_key', ['consultation_id', 'number'])
    .addCheckConstraint(
      'summary_versions_correction_has_note',
      sql`number = 1 or length(btrim(coalesce(change_note, ''))) > 0`,
    )
    .execute();
  await sql`create function summary_versions_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'summary_versions is append-only: publish a correction instead'
        using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger summary_versions_append_only before update or delete on summary_versions
    for each row execute function summary_versions_refuse_change()`.execute(db);
  await sql`create trigger summary_versions_no_truncate before truncate on summary_versions
    for each statement execute function summary_versions_refuse_change()`.execute(db);

  // Dated news of a recommendation after publication, moving its current outcome.
  await db.schema
    .createTable('outcome_updates')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.notNull().references('recommendations.id').onDelete('cascade'),
    )
    .addColumn('happened_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in ${OUTCOMES}`)))
    .addColumn('note', 'text', (c) => c.notNull().check(sql`length(note) between 1 and 5000`))
    .addColumn('note_html', 'text')
    .addColumn('note_html_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('outcome_updates_recommendation_idx')
    .on('outcome_updates')
    .columns(['recommendation_id', 'happened_on', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outcome_updates').execute();
  await db.schema.dropTable('summary_versions').execute();
  await sql`drop function summary_versions_refuse_change()`.execute(db);
  await db.schema.dropTable('summary_recommendations').execute();
  await db.schema.dropTable('summaries').execute();
  await sql`update consultations set status = 'closed' where status = 'analysing'`.execute(db);
  await sql`alter table consultations drop constraint consultations_status_check`.execute(db);
  await sql`alter table consultations add constraint consultations_status_check
    check (status in ('draft', 'open', 'closed', 'published'))`.execute(db);
}

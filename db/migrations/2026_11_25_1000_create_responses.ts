import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

const STANCES = `('strongly_oppose', 'oppose', 'neutral', 'support', 'strongly_support', 'no_view')`;

export async function up(db: Kysely<any>): Promise<void> {
  // Profile details asked before a first response; optional, and editable later.
  await db.schema
    .alterTable('respondent_profiles')
    .addColumn('organisation_stage', 'text', (c) =>
      c.check(
        sql`organisation_stage in ('pre_seed', 'seed', 'series_a', 'series_b_plus', 'growth', 'angel', 'vc', 'cvc', 'other_investor')`,
      ),
    )
    .addColumn('region', 'text', (c) => c.check(sql`length(region) between 1 and 60`))
    .execute();

  // One response per person per consultation, whether still a draft or submitted.
  await db.schema
    .createTable('responses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'submitted')`),
    )
    // The working copy of the overall comments, and the copy in the latest submitted version.
    .addColumn('overall_comments', 'text', (c) => c.check(sql`length(overall_comments) <= 10000`))
    .addColumn('submitted_overall_comments', 'text')
    .addColumn('consent', 'text', (c) =>
      c
        .notNull()
        .defaultTo('anonymous')
        .check(sql`consent in ('named', 'anonymous', 'private')`),
    )
    // Set at the first submission and kept through edits.
    .addColumn('reference', 'text', (c) => c.check(sql`reference ~ '^[0-9A-Z]{4}-[0-9A-Z]{4}$'`))
    .addColumn('current_version', 'integer', (c) => c.notNull().defaultTo(0))
    // True when the working copy differs from the submitted version (an edit not yet submitted).
    .addColumn('has_unsubmitted_changes', 'boolean', (c) => c.notNull().defaultTo(false))
    // Who the respondent was at their latest submission, so results never shift with a profile.
    .addColumn('segment', 'text', (c) => c.check(sql`segment in ('founder', 'investor', 'other')`))
    .addColumn('segment_other', 'text')
    .addColumn('display_name', 'text')
    .addColumn('organisation', 'text')
    .addColumn('organisation_stage', 'text')
    .addColumn('region', 'text')
    .addColumn('verified', 'boolean')
    .addColumn('first_submitted_at', 'timestamptz')
    .addColumn('last_submitted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('responses_one_per_person', ['consultation_id', 'user_id'])
    .addUniqueConstraint('responses_reference_key', ['reference'])
    .addCheckConstraint(
      'responses_submitted_complete',
      sql`status = 'draft' or (reference is not null and segment is not null and current_version > 0
        and first_submitted_at is not null and last_submitted_at is not null)`,
    )
    .execute();
  // Organisers page through submitted responses newest first, by keyset.
  await db.schema
    .createIndex('responses_listing_idx')
    .on('responses')
    .columns(['consultation_id', 'status', 'last_submitted_at desc', 'id desc'])
    .execute();
  await db.schema.createIndex('responses_user_idx').on('responses').column('user_id').execute();

  // The working copy: what the questionnaire shows and each "Save and continue" writes.
  await db.schema
    .createTable('response_answers')
    .addColumn('response_id', 'uuid', (c) =>
      c.notNull().references('responses.id').onDelete('cascade'),
    )
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.notNull().references('recommendations.id').onDelete('cascade'),
    )
    .addColumn('stance', 'text', (c) => c.check(sql.raw(`stance in ${STANCES}`)))
    .addColumn('importance', 'smallint', (c) => c.check(sql`importance between 1 and 5`))
    .addColumn('reasons', 'text', (c) => c.check(sql`length(reasons) <= 5000`))
    .addColumn('change_mind', 'text', (c) => c.check(sql`length(change_mind) <= 2000`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('response_answers_pkey', ['response_id', 'recommendation_id'])
    .execute();

  // The answers that count: those of the latest submitted version, replaced at each submission.
  await db.schema
    .createTable('submitted_answers')
    .addColumn('response_id', 'uuid', (c) =>
      c.notNull().references('responses.id').onDelete('cascade'),
    )
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.notNull().references('recommendations.id').onDelete('cascade'),
    )
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('stance', 'text', (c) => c.check(sql.raw(`stance in ${STANCES}`)))
    .addColumn('importance', 'smallint', (c) => c.check(sql`importance between 1 and 5`))
    .addColumn('reasons', 'text', (c) => c.check(sql`length(reasons) <= 5000`))
    .addColumn('change_mind', 'text', (c) => c.check(sql`length(change_mind) <= 2000`))
    .addPrimaryKeyConstraint('submitted_answers_pkey', ['response_id', 'recommendation_id'])
    .execute();
  await db.schema
    .createIndex('submitted_answers_stance_idx')
    .on('submitted_answers')
    .columns(['recommendation_id', 'stance', 'response_id'])
    .execute();

  // Every submitted version, kept whole. The idempotency key makes a replayed submit a no-op.
  await db.schema
    .createTable('response_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('response_id', 'uuid', (c) =>
      c.notNull().references('responses.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull().check(sql`number >= 1`))
    .addColumn('idempotency_key', 'uuid', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('response_versions_number_key', ['response_id', 'number'])
    .addUniqueConstraint('response_versions_idempotency_key', ['response_id', 'idempotency_key'])
    .execute();

  // What someone typed into a form when their session had ended, kept for an hour so that they
  // can sign in and find it again on the same page.
  await db.schema
    .createTable('parked_forms')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('form_values', 'jsonb', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('parked_forms').execute();
  await db.schema.dropTable('response_versions').execute();
  await db.schema.dropTable('submitted_answers').execute();
  await db.schema.dropTable('response_answers').execute();
  await db.schema.dropTable('responses').execute();
  await db.schema
    .alterTable('respondent_profiles')
    .dropColumn('organisation_stage')
    .dropColumn('region')
    .execute();
}

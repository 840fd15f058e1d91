import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

const SEGMENTS = `('founder', 'investor', 'other')`;

export async function up(db: Kysely<any>): Promise<void> {
  // How many distinct reports hide a comment until a moderator has looked at it.
  await db.schema
    .alterTable('consultations')
    .addColumn('flag_threshold', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(3)
        .check(sql`flag_threshold between 1 and 50`),
    )
    .execute();

  // One endorsement per person per recommendation: the unique constraint, not a read before the
  // write, is what keeps a double click or a scripted burst from counting twice.
  await db.schema
    .createTable('endorsements')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.notNull().references('recommendations.id').onDelete('cascade'),
    )
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('on_behalf_of_organisation', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('show_name', 'boolean', (c) => c.notNull().defaultTo(true))
    // Who the endorser was when they endorsed, so the counts never shift with a profile edit.
    .addColumn('segment', 'text', (c) => c.notNull().check(sql.raw(`segment in ${SEGMENTS}`)))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('endorsements_one_per_person', ['recommendation_id', 'user_id'])
    .addCheckConstraint(
      'endorsements_organisation_named',
      sql`not on_behalf_of_organisation or organisation is not null`,
    )
    .execute();
  // The public list of named endorsers, newest first, by keyset.
  await db.schema
    .createIndex('endorsements_named_idx')
    .on('endorsements')
    .columns(['recommendation_id', 'created_at desc', 'id desc'])
    .where(sql.ref('show_name'), '=', true)
    .execute();
  await db.schema
    .createIndex('endorsements_user_idx')
    .on('endorsements')
    .column('user_id')
    .execute();

  // Endorsements per recommendation and segment, kept in the transaction of every endorse and
  // withdraw, so a page never counts endorsement rows.
  await db.schema
    .createTable('endorsement_counts')
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.notNull().references('recommendations.id').onDelete('cascade'),
    )
    .addColumn('segment', 'text', (c) => c.notNull().check(sql.raw(`segment in ${SEGMENTS}`)))
    .addColumn('count', 'integer', (c) => c.notNull().check(sql`count >= 0`))
    .addPrimaryKeyConstraint('endorsement_counts_pkey', ['recommendation_id', 'segment'])
    .execute();

  // Public discussion of a recommendation: comments and replies, two levels of replies at most.
  // `thread_id` is the top-level comment a reply belongs to, so a thread's replies come back in
  // one bounded query whatever their depth.
  await db.schema
    .createTable('comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('recommendation_id', 'uuid', (c) =>
      c.notNull().references('recommendations.id').onDelete('cascade'),
    )
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('parent_id', 'uuid', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('thread_id', 'uuid', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('depth', 'smallint', (c) => c.notNull().check(sql`depth between 0 and 2`))
    // Kept when a comment is deleted or hidden: moderators may need to read it.
    .addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) between 1 and 5000`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('visible')
        .check(sql`status in ('visible', 'held', 'hidden', 'deleted')`),
    )
    .addColumn('held_reason', 'text', (c) => c.check(sql`held_reason in ('links', 'duplicate')`))
    // Who the author was when they posted, like a response's snapshot.
    .addColumn('author_segment', 'text', (c) =>
      c.notNull().check(sql.raw(`author_segment in ${SEGMENTS}`)),
    )
    .addColumn('author_display_name', 'text', (c) => c.notNull())
    .addColumn('author_verified', 'boolean', (c) => c.notNull())
    .addColumn('helpful_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`helpful_count >= 0`),
    )
    .addColumn('flag_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`flag_count >= 0`),
    )
    // Direct replies ever posted; a deleted comment without replies drops out of the listing.
    .addColumn('reply_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`reply_count >= 0`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('edited_at', 'timestamptz')
    .addCheckConstraint(
      'comments_tree_shape',
      sql`(depth = 0) = (parent_id is null) and (depth = 0) = (thread_id is null)`,
    )
    .addCheckConstraint(
      'comments_held_has_reason',
      sql`status <> 'held' or held_reason is not null`,
    )
    .execute();
  // Top-level comments of a recommendation by keyset: newest and oldest first read the same
  // index in either direction; "most helpful" has its own.
  await db.schema
    .createIndex('comments_top_level_by_time_idx')
    .on('comments')
    .columns(['recommendation_id', 'created_at desc', 'id desc'])
    .where(sql.ref('parent_id'), 'is', null)
    .execute();
  await db.schema
    .createIndex('comments_top_level_by_helpful_idx')
    .on('comments')
    .columns(['recommendation_id', 'helpful_count desc', 'created_at desc', 'id desc'])
    .where(sql.ref('parent_id'), 'is', null)
    .execute();
  await db.schema
    .createIndex('comments_thread_idx')
    .on('comments')
    .columns(['thread_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('comments_parent_idx').on('comments').column('parent_id').execute();
  // The duplicate check reads an author's recent comments on the consultation.
  await db.schema
    .createIndex('comments_author_idx')
    .on('comments')
    .columns(['author_id', 'consultation_id', 'created_at'])
    .execute();
  // The public comment counts are an index-only count over this small partial index.
  await db.schema
    .createIndex('comments_visible_idx')
    .on('comments')
    .columns(['consultation_id', 'recommendation_id'])
    .where(sql.ref('status'), '=', 'visible')
    .execute();

  // "Helpful" votes, one per person per comment.
  await db.schema
    .createTable('comment_votes')
    .addColumn('comment_id', 'uuid', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('comment_votes_pkey', ['comment_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('comment_votes_user_idx')
    .on('comment_votes')
    .column('user_id')
    .execute();

  // Reports to moderators, one per person per comment.
  await db.schema
    .createTable('comment_flags')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('comment_id', 'uuid', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('spam', 'abuse', 'off_topic', 'misinformation', 'other')`),
    )
    .addColumn('note', 'text', (c) => c.check(sql`length(note) between 1 and 1000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('comment_flags_one_per_person', ['comment_id', 'user_id'])
    .addCheckConstraint('comment_flags_other_explained', sql`reason <> 'other' or note is not null`)
    .execute();
  await db.schema
    .createIndex('comment_flags_user_idx')
    .on('comment_flags')
    .column('user_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('comment_flags').execute();
  await db.schema.dropTable('comment_votes').execute();
  await db.schema.dropTable('comments').execute();
  await db.schema.dropTable('endorsement_counts').execute();
  await db.schema.dropTable('endorsements').execute();
  await db.schema.alterTable('consultations').dropColumn('flag_threshold').execute();
}

import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // Whether the reasons in a counted answer may be quoted publicly (subject to the response's
  // consent): 'published' by default, 'pending' while a pre-moderated consultation waits for a
  // moderator, 'hidden' once a moderator has hidden it. Stance and importance always count.
  await db.schema
    .alterTable('submitted_answers')
    .addColumn('quote_status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('published')
        .check(sql`quote_status in ('published', 'pending', 'hidden')`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submitted_answers').dropColumn('quote_status').execute();
}

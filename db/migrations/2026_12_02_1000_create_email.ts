import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // Accounts that existed before confirmation was required start unconfirmed: nobody proved
  // that they own their address.
  await db.schema.alterTable('users').addColumn('email_verified_at', 'timestamptz').execute();

  // Every email is written here in the transaction of the change that causes it, then sent by a
  // retrying sender, so a failing SMTP server delays mail but never loses it.
  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('to_address', 'text', (c) =>
      c.notNull().check(sql`length(to_address) between 3 and 320`),
    )
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`length(kind) between 1 and 80`))
    .addColumn('subject', 'text', (c) => c.notNull().check(sql`length(subject) between 1 and 200`))
    .addColumn('text_body', 'text', (c) => c.notNull().check(sql`length(text_body) <= 100000`))
    .addColumn('headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('failed_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('email_outbox_due_idx')
    .on('email_outbox')
    .column('next_attempt_at')
    .where(sql.ref('sent_at'), 'is', sql`null and failed_at is null`)
    .execute();
  await db.schema
    .createIndex('email_outbox_recent_idx')
    .on('email_outbox')
    .columns(['created_at desc', 'id desc'])
    .execute();

  // Links sent by email. Only the SHA-256 of each token is kept, so a leaked table cannot be
  // used; used_at makes every link single use.
  await db.schema
    .createTable('email_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) =>
      c.notNull().check(sql`purpose in ('confirm_email', 'reset_password', 'change_email')`),
    )
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('email_tokens_user_idx')
    .on('email_tokens')
    .columns(['user_id', 'purpose'])
    .execute();

  // Absent rows mean "send": a person opts out of a kind of message, here or by one click.
  await db.schema
    .createTable('email_preferences')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) =>
      c.notNull().check(sql`topic in ('moderation', 'account', 'consultation_news')`),
    )
    .addColumn('subscribed', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('email_preferences_pkey', ['user_id', 'topic'])
    .execute();

  // Server-side keys (for the unsubscribe links' HMAC), created on first use, so there is no
  // secret to configure.
  await db.schema
    .createTable('signing_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signing_keys').execute();
  await db.schema.dropTable('email_preferences').execute();
  await db.schema.dropTable('email_tokens').execute();
  await db.schema.dropTable('email_outbox').execute();
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
}

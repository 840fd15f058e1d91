import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// Privacy notices per consultation, what happens to a response when its author deletes their
// account, and the two changes that deleting an account needs from the schema:
// - responses and comments may outlive their author (anonymised answers keep counting, a
//   deleted comment stays as a tombstone so its replies keep their place), so their link to
//   the account becomes optional and is cleared, not cascaded, when the account goes;
// - the append-only audit log and moderation history may have their personal parts rewritten,
//   but only by a transaction that says it is erasing personal data (`app.erasing_personal_data`
//   set locally), and never their what-and-when: the record itself stays.

const ERASING = `current_setting('app.erasing_personal_data', true) = 'on'`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('consultations')
    // Null: the site-wide default notice applies to that part.
    .addColumn('privacy_controller', 'text', (c) =>
      c.check(sql`length(privacy_controller) between 1 and 200`),
    )
    .addColumn('privacy_lawful_basis', 'text', (c) =>
      c.check(sql`length(privacy_lawful_basis) between 1 and 2000`),
    )
    .addColumn('privacy_published', 'text', (c) =>
      c.check(sql`length(privacy_published) between 1 and 2000`),
    )
    .addColumn('privacy_retention_months', 'integer', (c) =>
      c.check(sql`privacy_retention_months between 1 and 120`),
    )
    .addColumn('privacy_contact_email', 'text', (c) =>
      c.check(sql`length(privacy_contact_email) between 3 and 254`),
    )
    // What deleting an account does to that person's responses here.
    .addColumn('deletion_policy', 'text', (c) =>
      c
        .notNull()
        .defaultTo('anonymise')
        .check(sql`deletion_policy in ('erase', 'anonymise')`),
    )
    // Set once the retention command has removed the personal data of a closed consultation.
    .addColumn('personal_data_purged_at', 'timestamptz')
    .execute();

  await sql`alter table responses alter column user_id drop not null`.execute(db);
  await sql`alter table responses drop constraint responses_user_id_fkey`.execute(db);
  await sql`alter table responses add constraint responses_user_id_fkey
    foreign key (user_id) references users(id) on delete set null`.execute(db);
  await sql`alter table comments alter column author_id drop not null`.execute(db);
  await sql`alter table comments drop constraint comments_author_id_fkey`.execute(db);
  await sql`alter table comments add constraint comments_author_id_fkey
    foreign key (author_id) references users(id) on delete set null`.execute(db);

  await sql
    .raw(
      `create or replace function audit_events_refuse_change() returns trigger
    language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and ${ERASING} then
        if new.id = old.id and new.occurred_at = old.occurred_at and new.action = old.action
          and new.target_type = old.target_type
          and new.consultation_id is not distinct from old.consultation_id
          and new.request_id is not distinct from old.request_id then
          return new;
        end if;
      end if;
      raise exception 'audit_events is append-only' using errcode = 'insufficient_privilege';
    end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create or replace function moderation_decisions_append_only() returns trigger
    language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and ${ERASING} then
        -- decided_by: cleared by its foreign key when a moderator's own account is deleted.
        if (to_jsonb(new) - 'body_before' - 'body_after' - 'note' - 'decided_by')
          = (to_jsonb(old) - 'body_before' - 'body_after' - 'note' - 'decided_by') then
          return new;
        end if;
      end if;
      raise exception 'moderation decisions are append-only' using errcode = '55000';
    end $$`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create or replace function moderation_decisions_append_only() returns trigger
    language plpgsql as $$
    begin
      raise exception 'moderation decisions are append-only' using errcode = '55000';
    end $$`.execute(db);
  await sql`create or replace function audit_events_refuse_change() returns trigger
    language plpgsql as $$
    begin
      raise exception 'audit_events is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  // Rows whose author has gone cannot satisfy the old constraints.
  await sql`delete from comments where author_id is null`.execute(db);
  await sql`alter table comments drop constraint comments_author_id_fkey`.execute(db);
  await sql`alter table comments add constraint comments_author_id_fkey
    foreign key (author_id) references users(id) on delete cascade`.execute(db);
  await sql`alter table comments alter column author_id set not null`.execute(db);
  await sql`delete from responses where user_id is null`.execute(db);
  await sql`alter table responses drop constraint responses_user_id_fkey`.execute(db);
  await sql`alter table responses add constraint responses_user_id_fkey
    foreign key (user_id) references users(id) on delete cascade`.execute(db);
  await sql`alter table responses alter column user_id set not null`.execute(db);
  await db.schema
    .alterTable('consultations')
    .dropColumn('personal_data_purged_at')
    .dropColumn('deletion_policy')
    .dropColumn('privacy_contact_email')
    .dropColumn('privacy_retention_months')
    .dropColumn('privacy_published')
    .dropColumn('privacy_lawful_basis')
    .dropColumn('privacy_controller')
    .execute();
}

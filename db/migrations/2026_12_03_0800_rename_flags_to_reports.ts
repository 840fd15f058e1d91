import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// The pages say "report" (a reader reporting a comment to the moderators); the tables said
// "flag". Renamed so that the code, the database and the pages use one word. The constraints and
// indexes Postgres named after the old table and columns are renamed with them, and the report
// rate limit's stored counters keep counting under the rule's new name.

async function rename(db: Kysely<any>, from: 'flag' | 'report', to: 'flag' | 'report') {
  const [oldTable, newTable] = [`comment_${from}s`, `comment_${to}s`];
  await sql`alter table ${sql.id(oldTable)} rename to ${sql.id(newTable)}`.execute(db);
  await sql
    .raw(
      `do $$
      declare r record;
      begin
        for r in select conname from pg_constraint
                 where conrelid = '${newTable}'::regclass and conname like '${oldTable}%' loop
          execute format('alter table ${newTable} rename constraint %I to %I',
                         r.conname, replace(r.conname, '${oldTable}', '${newTable}'));
        end loop;
        for r in select indexname from pg_indexes
                 where schemaname = current_schema() and tablename = '${newTable}'
                   and indexname like '${oldTable}%' loop
          execute format('alter index %I rename to %I',
                         r.indexname, replace(r.indexname, '${oldTable}', '${newTable}'));
        end loop;
      end $$`,
    )
    .execute(db);
  for (const [table, column] of [
    ['comments', 'count'],
    ['consultations', 'threshold'],
  ] as const) {
    await sql`alter table ${sql.id(table)} rename column ${sql.id(`${from}_${column}`)}
      to ${sql.id(`${to}_${column}`)}`.execute(db);
    await sql`alter table ${sql.id(table)}
      rename constraint ${sql.id(`${table}_${from}_${column}_check`)}
      to ${sql.id(`${table}_${to}_${column}_check`)}`.execute(db);
  }
  const [oldRule, newRule] = [`${from}s-account:`, `${to}s-account:`];
  for (const table of ['rate_limits', 'rate_limit_buckets']) {
    await sql`update ${sql.id(table)} set key = ${newRule} || substr(key, ${oldRule.length + 1})
      where starts_with(key, ${oldRule})`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await rename(db, 'flag', 'report');
}

export async function down(db: Kysely<any>): Promise<void> {
  await rename(db, 'report', 'flag');
}

// `npm run db:migrate [-- down]`, `npm run db:seed`, `npm run db:grant -- <email> <organiser|moderator>`.
// Against PGlite, stop the server first: the data folder is locked while it runs.
import { closeDb, getDb } from '~/.server/db';
import { getEnv } from '~/.server/env';
import { migrateDown, migrateToLatest } from './migrate';
import { seedDemo } from './seed';

const [command, ...args] = process.argv.slice(2);

async function main() {
  const db = getDb({ longRunning: true });
  const env = getEnv();
  console.log(
    `Database: ${env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `PGlite at ${env.PGLITE_DIR}`}`,
  );
  if (command === 'migrate') {
    const result = args[0] === 'down' ? await migrateDown(db) : await migrateToLatest(db);
    const names = (result.results ?? []).map((r) => `${r.direction} ${r.migrationName}`);
    console.log(names.length ? names.join('\n') : 'Already up to date.');
  } else if (command === 'seed') {
    await migrateToLatest(db);
    const report = await seedDemo(db, { sampleResponses: env.SEED_RESPONSES });
    console.log(
      report.consultationCreated ? 'Demo consultation created.' : 'Demo data already present.',
    );
    if (report.sampleResponses) {
      const { responses, milliseconds } = report.sampleResponses;
      console.log(`Sample responses: ${responses} in ${milliseconds} ms.`);
    }
    for (const a of report.accounts) console.log(`  ${a.email}  password: ${a.password}`);
  } else if (command === 'grant') {
    const [email, role] = args;
    if (!email || (role !== 'organiser' && role !== 'moderator')) {
      throw new Error('Usage: npm run db:grant -- <email> <organiser|moderator>');
    }
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    if (!user) throw new Error(`No account with the email ${email}. Sign up first.`);
    await db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('role_grants')
        .values({ user_id: user.id, role, consultation_id: null })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        await trx
          .insertInto('audit_events')
          .values({
            actor_id: null,
            action: 'role.granted',
            target_type: 'user',
            target_id: user.id,
            after: JSON.stringify({ role, scope: 'site', via: 'command line' }),
          })
          .execute();
      }
    });
    console.log(`${email} is now a site-wide ${role}.`);
  } else {
    throw new Error('Usage: db/cli.ts migrate [down] | seed | grant <email> <role>');
  }
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());

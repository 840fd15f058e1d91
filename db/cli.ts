// `npm run db:migrate [-- down]`, `npm run db:seed`, `npm run db:grant -- <email> <organiser|moderator>`
// (the last invites the address to a site-wide role and prints the link; see the README).
// Against PGlite, stop the server first: the data folder is locked while it runs.
import { closeDb, getDb } from '~/.server/db';
import { getEnv } from '~/.server/env';
import { inviteSiteWide } from '~/.server/team';
import { emailField } from '~/lib/schemas/fields';
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
    const address = emailField.safeParse(email ?? '');
    if (!address.success || (role !== 'organiser' && role !== 'moderator')) {
      throw new Error('Usage: npm run db:grant -- <email> <organiser|moderator>');
    }
    // The link must lead to the public site, not to this machine.
    if (env.isProduction && !env.APP_URL) {
      throw new Error('Set APP_URL (the public address of the site) so the link leads to it.');
    }
    await migrateToLatest(db);
    const sent = await inviteSiteWide(db, { email: address.data, role });
    const lines = [
      `${sent.renewed ? 'Invitation renewed' : 'Invitation created'}: ${address.data} as a site-wide ${role}.`,
      'The role is given only when the owner of that address signs in (or signs up and confirms',
      'the address) and accepts. Send them this link, which works once, for 7 days:',
      '',
      `  ${sent.link}`,
      '',
      'The same link is in an email queued in the outbox: a server with SMTP_URL sends it.',
    ];
    if (sent.renewed) lines.push('Links printed before for this invitation no longer work.');
    console.log(lines.join('\n'));
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

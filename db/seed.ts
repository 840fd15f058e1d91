import { sql, type Kysely } from 'kysely';
import { hashPassword } from '~/.server/auth/password';
import type { DB } from './schema';
import {
  demoAccounts,
  demoConsultation,
  demoRecommendations,
  type DemoAccount,
} from './seed-content';
import { seedModerationQueue } from './seed-moderation';

export type SeedReport = { accounts: readonly DemoAccount[]; consultationCreated: boolean };

/**
 * Idempotent demo data: the four demo accounts and the demo consultation, each created only if
 * missing, so it is safe at every start and from several instances at once.
 */
export async function seedDemo(db: Kysely<DB>): Promise<SeedReport> {
  for (const account of demoAccounts) {
    await ensureAccount(db, account);
  }
  const consultationCreated = await ensureDemoConsultation(db);
  await seedModerationQueue(db, demoConsultation.slug);
  return { accounts: demoAccounts, consultationCreated };
}

async function ensureAccount(db: Kysely<DB>, account: DemoAccount) {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', account.email)
    .executeTakeFirst();
  if (existing) return existing.id;
  const passwordHash = await hashPassword(account.password);
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto('users')
      .values({ email: account.email, password_hash: passwordHash })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!user) return null; // another instance seeded it first
    await trx
      .insertInto('respondent_profiles')
      .values({
        user_id: user.id,
        display_name: account.displayName,
        organisation: account.organisation,
        segment: account.segment,
        segment_other: account.segmentOther,
      })
      .execute();
    if (account.role) {
      await trx
        .insertInto('role_grants')
        .values({ user_id: user.id, role: account.role, consultation_id: null })
        .execute();
    }
    await trx
      .insertInto('audit_events')
      .values({
        actor_id: null,
        action: 'account.seeded',
        target_type: 'user',
        target_id: user.id,
        after: JSON.stringify({ role: account.role }),
      })
      .execute();
    return user.id;
  });
}

async function ensureDemoConsultation(db: Kysely<DB>) {
  return db.transaction().execute(async (trx) => {
    const organiser = await trx
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoAccounts.find((a) => a.role === 'organiser')!.email)
      .executeTakeFirst();
    const consultation = await trx
      .insertInto('consultations')
      .values({
        slug: demoConsultation.slug,
        title: demoConsultation.title,
        summary: demoConsultation.summary,
        body: demoConsultation.body,
        run_by: demoConsultation.runBy,
        status: 'open',
        // Opened at 9am UK time a week ago; closes at 5pm UK time about eight weeks from now.
        opens_at: sql<Date>`date_trunc('day', now() - interval '7 days', 'Europe/London') + interval '9 hours'`,
        closes_at: sql<Date>`date_trunc('day', now() + interval '56 days', 'Europe/London') + interval '17 hours'`,
        created_by: organiser?.id ?? null,
      })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!consultation) return false;
    await trx
      .insertInto('recommendations')
      .values(
        demoRecommendations.map((r, index) => ({
          consultation_id: consultation.id,
          number: index + 1,
          slug: r.slug,
          title: r.title,
          summary: r.summary,
          rationale: r.rationale,
        })),
      )
      .execute();
    await trx
      .insertInto('audit_events')
      .values({
        actor_id: null,
        action: 'consultation.seeded',
        target_type: 'consultation',
        target_id: consultation.id,
        consultation_id: consultation.id,
        after: JSON.stringify({ slug: demoConsultation.slug }),
      })
      .execute();
    return true;
  });
}

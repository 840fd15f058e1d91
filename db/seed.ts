import { sql, type Kysely } from 'kysely';
import { hashPassword } from '~/.server/auth/password';
import { renderForStorage } from '~/.server/markdown';
import type { DB } from './schema';
import { seedSampleResponses, type SampleResponsesReport } from './seed-results';
import {
  demoAccounts,
  demoConsultation,
  demoRecommendations,
  type DemoAccount,
} from './seed-content';
import { seedModerationQueue } from './seed-moderation';
import { ensureSampleConsultation } from './seed-sample-summary';

export type SeedReport = {
  accounts: readonly DemoAccount[];
  consultationCreated: boolean;
  sampleResponses: SampleResponsesReport | null;
  /** Whether this run made the finished sample consultation (with its published summary). */
  sampleConsultationCreated: boolean;
};

/**
 * Idempotent demo data: the four demo accounts, the demo consultation (open for responses) and
 * a finished sample consultation (closed, with a published summary), each created only if
 * missing, so it is safe at every start and from several instances at once. When the demo
 * consultation is created, `sampleResponses` submitted responses from sample respondents come
 * with it, for the results pages; the finished one always brings its own.
 */
export async function seedDemo(
  db: Kysely<DB>,
  options: { sampleResponses?: number } = {},
): Promise<SeedReport> {
  for (const account of demoAccounts) {
    await ensureAccount(db, account);
  }
  const consultationId = await ensureDemoConsultation(db);
  await seedModerationQueue(db, demoConsultation.slug);
  const count = options.sampleResponses ?? 0;
  const sampleResponses =
    consultationId && count > 0 ? await seedSampleResponses(db, consultationId, count) : null;
  const sampleConsultationCreated = await ensureSampleConsultation(
    db,
    demoAccounts.find((a) => a.role === 'organiser')!.email,
  );
  return {
    accounts: demoAccounts,
    consultationCreated: consultationId !== null,
    sampleResponses,
    sampleConsultationCreated,
  };
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
      // Demo addresses (.test) cannot receive mail: they start confirmed.
      .values({ email: account.email, password_hash: passwordHash, email_verified_at: new Date() })
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
        body_html: renderForStorage('description', demoConsultation.body).html,
        body_html_version: renderForStorage('description', demoConsultation.body).version,
        run_by: demoConsultation.runBy,
        privacy_controller: demoConsultation.privacy.controller,
        privacy_lawful_basis: demoConsultation.privacy.lawfulBasis,
        privacy_published: demoConsultation.privacy.published,
        privacy_retention_months: demoConsultation.privacy.retentionMonths,
        deletion_policy: demoConsultation.privacy.deletionPolicy,
        status: 'open',
        // Opened at 9am UK time eight weeks ago (the sample responses arrive over those weeks);
        // closes at 5pm UK time about eight weeks from now.
        opens_at: sql<Date>`date_trunc('day', now() - interval '56 days', 'Europe/London') + interval '9 hours'`,
        closes_at: sql<Date>`date_trunc('day', now() + interval '56 days', 'Europe/London') + interval '17 hours'`,
        created_by: organiser?.id ?? null,
      })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!consultation) return null;
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
          rationale_html: renderForStorage('rationale', r.rationale).html,
          rationale_html_version: renderForStorage('rationale', r.rationale).version,
          state: r.state ?? 'open',
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
    return consultation.id;
  });
}

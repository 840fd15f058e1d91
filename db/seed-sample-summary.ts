import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Viewer } from '~/.server/auth';
import { changeConsultationStatus } from '~/.server/consultations';
import { renderForStorage } from '~/.server/markdown';
import {
  addOutcomeUpdate,
  correctSummary,
  publishSummary,
  saveSummaryDraft,
} from '~/.server/summaries';
import type { Stance } from '~/lib/enums';
import type { SummaryRecommendationDraft } from '~/lib/schemas/summaries';
import type { DB } from './schema';
import { SUMMARY_LICENCES } from '~/lib/forms/summaries';
import { seedSampleResponses } from './seed-results';
import {
  SAMPLE_RESPONSES,
  sampleConsultation,
  sampleRecommendations,
  sampleStory,
  sampleSummary,
} from './seed-sample-content';

// The finished sample consultation (seed-sample-content.ts), written through the same services
// an organiser's pages use: closed with sample responses, analysed, its summary drafted with
// citations and quotes, published, corrected once, and one outcome moved on afterwards.

const ctx = () => ({ requestId: `seed-${randomUUID()}`, clientIp: 'seed' });

/** The demo organiser as the services see a signed-in organiser. */
async function organiserViewer(db: Kysely<DB>, email: string): Promise<Viewer> {
  const user = await db
    .selectFrom('users')
    .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'users.id')
    .select(['users.id', 'users.email', 'respondent_profiles.display_name'])
    .where('users.email', '=', email)
    .executeTakeFirstOrThrow();
  const roles = await db
    .selectFrom('role_grants')
    .select(['role', 'consultation_id'])
    .where('user_id', '=', user.id)
    .execute();
  return {
    id: user.id,
    email: user.email,
    displayName: user.display_name,
    segment: 'other',
    emailConfirmed: true,
    roles: roles.map((r) => ({ role: r.role, consultationId: r.consultation_id })),
    sessionId: 'seed',
  };
}

/** Opened twelve weeks ago and closed four weeks ago, at 9am and 5pm UK time. */
async function insertConsultation(db: Kysely<DB>, organiserId: string) {
  return db.transaction().execute(async (trx) => {
    const body = renderForStorage('description', sampleConsultation.body);
    const row = await trx
      .insertInto('consultations')
      .values({
        slug: sampleConsultation.slug,
        title: sampleConsultation.title,
        summary: sampleConsultation.summary,
        body: sampleConsultation.body,
        body_html: body.html,
        body_html_version: body.version,
        run_by: sampleConsultation.runBy,
        status: 'open',
        opens_at: sql<Date>`date_trunc('day', now() - interval '84 days', 'Europe/London') + interval '9 hours'`,
        closes_at: sql<Date>`date_trunc('day', now() - interval '28 days', 'Europe/London') + interval '17 hours'`,
        created_by: organiserId,
      })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning(['id', 'closes_at', 'version'])
      .executeTakeFirst();
    if (!row) return null;
    const recommendations = await trx
      .insertInto('recommendations')
      .values(
        sampleRecommendations.map((r, index) => {
          const rationale = renderForStorage('rationale', r.rationale);
          return {
            consultation_id: row.id,
            number: index + 1,
            slug: r.slug,
            title: r.title,
            summary: r.summary,
            rationale: r.rationale,
            rationale_html: rationale.html,
            rationale_html_version: rationale.version,
          };
        }),
      )
      .returning(['id', 'number'])
      .execute();
    await trx
      .insertInto('audit_events')
      .values({
        actor_id: null,
        action: 'consultation.seeded',
        target_type: 'consultation',
        target_id: row.id,
        consultation_id: row.id,
        after: JSON.stringify({ slug: sampleConsultation.slug }),
      })
      .execute();
    const byNumber = new Map(recommendations.map((r) => [r.number, r.id]));
    return { ...row, recommendations: byNumber };
  });
}

/**
 * A quotable answer on a recommendation whose reasons contain `phrase` and whose stance is one
 * of `stances`, named ones first, in receipt-reference order so every seed picks the same.
 */
async function quoteOf(
  db: Kysely<DB>,
  recommendationId: string,
  phrase: string,
  stances: Stance[],
) {
  const row = await db
    .selectFrom('submitted_answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select(['a.response_id'])
    .where('a.recommendation_id', '=', recommendationId)
    .where('a.quote_status', '=', 'published')
    .where('a.consent', 'in', ['named', 'anonymous'])
    .where('a.stance', 'in', stances)
    .where('a.reasons', 'like', `%${phrase}%`)
    .orderBy(sql`case a.consent when 'named' then 0 else 1 end`)
    .orderBy('r.reference')
    .executeTakeFirst();
  if (!row) throw new Error(`The sample responses have no quotable reasons with “${phrase}”.`);
  return `answer:${row.response_id}:${recommendationId}`;
}

const FOR: Stance[] = ['support', 'strongly_support'];
const AGAINST: Stance[] = ['oppose', 'strongly_oppose'];
const UNDECIDED: Stance[] = ['neutral', 'no_view'];

/**
 * Creates the finished sample consultation once (returns false when it exists): an instance
 * that finds it already made leaves it to the one that made it.
 */
export async function ensureSampleConsultation(db: Kysely<DB>, organiserEmail: string) {
  const organiser = await organiserViewer(db, organiserEmail);
  const made = await insertConsultation(db, organiser.id);
  if (!made) return false;
  await seedSampleResponses(db, made.id, SAMPLE_RESPONSES, {
    seed: 20270115,
    now: made.closes_at!,
    story: sampleStory,
    accountPrefix: 'sample-respondent',
  });
  const slug = sampleConsultation.slug;
  await changeConsultationStatus(
    db,
    organiser,
    slug,
    { intent: 'analyse', version: made.version },
    ctx(),
  );

  const id = (n: number) => made.recommendations.get(n)!;
  const texts = sampleSummary.recommendations;
  const parts: SummaryRecommendationDraft[] = [
    {
      recommendationId: id(1),
      ...texts[1],
      quotes: [
        await quoteOf(db, id(1), 'saved me weeks', FOR),
        await quoteOf(db, id(1), 'out of date within months', AGAINST),
      ],
      citations: [
        'net_support:1:founder',
        'net_support:1:investor',
        await quoteOf(db, id(1), 'filings apply', FOR),
      ],
    },
    {
      recommendationId: id(2),
      ...texts[2],
      quotes: [
        await quoteOf(db, id(2), 'outside the big cities', FOR),
        await quoteOf(db, id(2), 'pilot would show', UNDECIDED),
      ],
      citations: [
        'net_support:2:founder',
        'net_support:2:investor',
        await quoteOf(db, id(2), 'Accelerators and investors already', AGAINST),
      ],
    },
    {
      recommendationId: id(3),
      ...texts[3],
      quotes: [await quoteOf(db, id(3), 'Pre-filled figures would cut', FOR)],
      citations: ['net_support:3:founder', 'net_support:3:investor', 'importance:3:all'],
    },
  ];
  const draft = await saveSummaryDraft(
    db,
    organiser,
    slug,
    { expectedVersion: 0, intro: sampleSummary.intro, recommendations: parts },
    ctx(),
  );
  await publishSummary(
    db,
    organiser,
    slug,
    { expectedVersion: draft.version, licence: SUMMARY_LICENCES['ogl-3'].name },
    ctx(),
  );

  const corrected = await saveSummaryDraft(
    db,
    organiser,
    slug,
    {
      expectedVersion: draft.version,
      intro: sampleSummary.intro,
      recommendations: [{ ...parts[1]!, weDid: sampleSummary.correction.weDid2 }],
    },
    ctx(),
  );
  await correctSummary(
    db,
    organiser,
    slug,
    {
      expectedVersion: corrected.version,
      licence: null,
      changeNote: sampleSummary.correction.changeNote,
    },
    ctx(),
  );

  const today = await sql<{ today: string }>`select to_char(current_date, 'YYYY-MM-DD') as today`
    .execute(db)
    .then((r) => r.rows[0]!.today);
  const update = sampleSummary.outcomeUpdate;
  await addOutcomeUpdate(
    db,
    organiser,
    slug,
    update.recommendation,
    { happenedOn: today, status: update.status, note: update.note },
    ctx(),
  );
  return true;
}

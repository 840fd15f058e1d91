import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { hashPassword } from '~/.server/auth/password';
import { renderForStorage } from '~/.server/markdown';
import { scoreTone } from '~/.server/results';
import type { DB, ReportReason, HeldReason, Segment } from './schema';

/**
 * Demo respondents who wrote the comments waiting in the demo moderation queue. They cannot sign
 * in: their password is random and thrown away.
 */
export const demoRespondents = [
  {
    key: 'amara',
    name: 'Amara Okafor',
    organisation: 'Lattice Health (fictional)',
    segment: 'founder',
  },
  { key: 'tom', name: 'Tom Reilly', organisation: null, segment: 'other' },
  {
    key: 'priya',
    name: 'Priya Natarajan',
    organisation: 'Northgate Capital (fictional)',
    segment: 'investor',
  },
  {
    key: 'gareth',
    name: 'Gareth Hughes',
    organisation: 'Cwm Robotics (fictional)',
    segment: 'founder',
  },
  { key: 'lena', name: 'Lena Fischer', organisation: null, segment: 'other' },
  {
    key: 'sam',
    name: 'Sam Adeyemi',
    organisation: 'Tidewater Ventures (fictional)',
    segment: 'investor',
  },
  {
    key: 'jo',
    name: 'Jo Marsh',
    organisation: 'Quietly Useful Ltd (fictional)',
    segment: 'founder',
  },
] as const satisfies readonly {
  key: string;
  name: string;
  organisation: string | null;
  segment: Segment;
}[];

type Key = (typeof demoRespondents)[number]['key'];

export function demoRespondentEmail(key: string) {
  return `${key}@respondents.demo.test`;
}

type SeedComment = {
  author: Key;
  recommendation: string;
  hoursAgo: number;
  body: string;
  held?: HeldReason;
  reports?: { by: Key; reason: ReportReason; note?: string }[];
};

// Written for this demo; any resemblance to real people or companies is accidental.
const queue: SeedComment[] = [
  {
    author: 'tom',
    recommendation: 'open-source-first-government-ai-infrastructure',
    hoursAgo: 150,
    body: 'Anyone who supports this is either naive or paid by the big labs. Wake up.',
    reports: [
      { by: 'amara', reason: 'abuse' },
      { by: 'priya', reason: 'abuse' },
      { by: 'gareth', reason: 'abuse', note: 'Insults everyone who disagrees.' },
    ],
  },
  {
    author: 'lena',
    recommendation: 'open-source-first-government-ai-infrastructure',
    hoursAgo: 130,
    body: 'Open infrastructure is fine, but who pays to maintain it after year two? The consultation should ask councils directly.',
    reports: [{ by: 'tom', reason: 'off_topic' }],
  },
  {
    author: 'sam',
    recommendation: 'open-source-first-government-ai-infrastructure',
    hoursAgo: 120,
    body: 'Cheap GPU hosting for startups!!! Best rates at www.example-gpu-deals.test and www.example-gpu-deals.test/offer and https://example-gpu-deals.test/signup',
    held: 'links',
  },
  {
    author: 'jo',
    recommendation: 'regulatory-fast-track-open-source-ai',
    hoursAgo: 100,
    body: 'The fast track worked for us in the fintech sandbox. If anyone wants the details, ring our compliance lead Dave Pearce on 07700 900461.',
    reports: [
      { by: 'lena', reason: 'other', note: 'Contains a private phone number.' },
      { by: 'priya', reason: 'other', note: 'Personal phone number of a named person.' },
      { by: 'amara', reason: 'spam' },
    ],
  },
  {
    author: 'gareth',
    recommendation: 'regulatory-fast-track-open-source-ai',
    hoursAgo: 90,
    body: 'Regulators already approve 95% of open source models within a week, so a fast track is pointless.',
    reports: [
      { by: 'jo', reason: 'misinformation', note: 'No source for the 95% figure.' },
      { by: 'sam', reason: 'misinformation' },
    ],
  },
  {
    author: 'priya',
    recommendation: 'regulatory-fast-track-open-source-ai',
    hoursAgo: 80,
    body: 'From the investor side: a predictable timeline matters more than a fast one. Publish the review stages and their maximum durations.',
    held: 'duplicate',
  },
  {
    author: 'sam',
    recommendation: 'innovate-uk-open-source-priorities',
    hoursAgo: 60,
    body: 'Grant writing support here: https://example-grants.test, https://example-grants.test/pricing and https://example-grants.test/testimonials',
    held: 'links',
  },
  {
    author: 'amara',
    recommendation: 'innovate-uk-open-source-priorities',
    hoursAgo: 48,
    body: 'Innovate UK should score maintenance plans, not just novelty. Half the projects we depend on were funded once and then abandoned.',
    reports: [{ by: 'tom', reason: 'spam' }],
  },
  {
    author: 'tom',
    recommendation: 'innovate-uk-open-source-priorities',
    hoursAgo: 30,
    body: 'This whole consultation is a stitch-up and the organisers are liars.',
    reports: [
      { by: 'lena', reason: 'abuse' },
      { by: 'jo', reason: 'abuse' },
      { by: 'gareth', reason: 'off_topic' },
    ],
  },
  {
    author: 'lena',
    recommendation: 'innovate-uk-open-source-priorities',
    hoursAgo: 20,
    body: 'Useful reading on how other countries fund open source: https://example.test/report-a, https://example.test/report-b and https://example.test/report-c',
    held: 'links',
  },
  {
    author: 'jo',
    recommendation: 'open-source-first-government-ai-infrastructure',
    hoursAgo: 12,
    body: 'Buy followers and reviews for your startup, fast delivery, message me.',
    reports: [
      { by: 'amara', reason: 'spam' },
      { by: 'sam', reason: 'spam' },
      { by: 'priya', reason: 'spam' },
    ],
  },
  {
    author: 'gareth',
    recommendation: 'regulatory-fast-track-open-source-ai',
    hoursAgo: 6,
    body: 'Small firms like ours cannot afford a lawyer for every filing. A fast track only helps if the forms are written for people without one.',
    reports: [{ by: 'tom', reason: 'off_topic' }],
  },
];

/**
 * A realistic moderation queue on the demo consultation: reported, auto-hidden and held comments
 * from several demo respondents, written once (when the first of those respondents is missing).
 */
export async function seedModerationQueue(db: Kysely<DB>, consultationSlug: string) {
  const consultation = await db
    .selectFrom('consultations')
    .select(['id', 'report_threshold'])
    .where('slug', '=', consultationSlug)
    .executeTakeFirst();
  if (!consultation) return false;
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  return db.transaction().execute(async (trx) => {
    const first = await trx
      .insertInto('users')
      .values({
        email: demoRespondentEmail(demoRespondents[0].key),
        password_hash: passwordHash,
        email_verified_at: new Date(),
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!first) return false; // seeded before, or by another instance just now
    const ids = new Map<Key, string>([[demoRespondents[0].key, first.id]]);
    for (const person of demoRespondents.slice(1)) {
      const row = await trx
        .insertInto('users')
        .values({
          email: demoRespondentEmail(person.key),
          password_hash: passwordHash,
          email_verified_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(person.key, row.id);
    }
    await trx
      .insertInto('respondent_profiles')
      .values(
        demoRespondents.map((p) => ({
          user_id: ids.get(p.key)!,
          display_name: p.name,
          organisation: p.organisation,
          segment: p.segment,
          segment_other: p.segment === 'other' ? 'Member of the public' : null,
        })),
      )
      .execute();
    const recommendations = new Map(
      (
        await trx
          .selectFrom('recommendations')
          .select(['id', 'slug'])
          .where('consultation_id', '=', consultation.id)
          .execute()
      ).map((r) => [r.slug, r.id]),
    );
    for (const c of queue) {
      const author = demoRespondents.find((p) => p.key === c.author)!;
      const reports = c.reports ?? [];
      const hidden = reports.length >= consultation.report_threshold;
      const comment = await trx
        .insertInto('comments')
        .values({
          recommendation_id: recommendations.get(c.recommendation)!,
          consultation_id: consultation.id,
          author_id: ids.get(c.author)!,
          parent_id: null,
          thread_id: null,
          depth: 0,
          body: c.body,
          body_html: renderForStorage('comment', c.body).html,
          body_html_version: renderForStorage('comment', c.body).version,
          tone: scoreTone(c.body),
          status: c.held ? 'held' : hidden ? 'hidden' : 'visible',
          held_reason: c.held ?? null,
          author_segment: author.segment,
          author_display_name: author.name,
          author_verified: false,
          report_count: reports.length,
          created_at: sql<Date>`now() - make_interval(hours => ${c.hoursAgo})`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [index, report] of reports.entries()) {
        await trx
          .insertInto('comment_reports')
          .values({
            comment_id: comment.id,
            user_id: ids.get(report.by)!,
            reason: report.reason,
            note: report.note ?? null,
            created_at: sql<Date>`now() - make_interval(hours => ${c.hoursAgo - 1 - index})`,
          })
          .execute();
      }
      if (hidden) {
        await trx
          .insertInto('audit_events')
          .values({
            actor_id: null,
            action: 'comment.auto_hidden',
            target_type: 'comment',
            target_id: comment.id,
            consultation_id: consultation.id,
            reason: `Reported by ${reports.length} people (demo data).`,
            before: JSON.stringify({ status: 'visible' }),
            after: JSON.stringify({ status: 'hidden', reportCount: reports.length }),
          })
          .execute();
      }
    }
    return true;
  });
}

import { Kysely } from 'kysely';
import { createDialect } from '#db/dialect';
import { recordAudit } from '~/.server/audit';
import { SEGMENTS } from '~/lib/enums';
import type { DB, NewConsultation, Recommendation, Segment } from '#db/schema';
import {
  createConsultation,
  createRecommendation,
  createUser,
  grantRole,
  insertComment,
  insertReport,
  type TestUser,
  type UserOverrides,
} from './factories';
import { insertAnsweredResponse } from './results';
import { E2E_EMPTY_ENV, startServer, type TestServer } from './server';

// Browser tests that make the data they need instead of reading the demo seed: the server starts
// on a copy of a migrated folder with no demo data (see e2e-setup.ts), after `create` has written
// the test's own rows into it with the factories (factories.ts). PGlite is a single process's
// folder, so the rows are written before the server opens it, and the test is handed back
// whatever `create` returned (slugs, accounts) to drive the pages with.

/**
 * Starts a server on a fresh, empty, migrated database holding only what `create` makes.
 * Opening the folder here first costs about as much as the demo's seed check saves the server
 * (measured on a loaded 2-core machine: level on one run, 2–3 s more on others); start it
 * beside the browser's launch, as the tests do.
 */
export async function startFixtureServer<T>(
  create: (db: Kysely<DB>) => Promise<T>,
  env: Record<string, string> = {},
): Promise<{ server: TestServer; fixtures: T }> {
  const template = process.env.E2E_EMPTY_PGLITE_TEMPLATE;
  if (!template) throw new Error('No empty e2e database template: is e2e-setup.ts the setup?');
  let fixtures: T | undefined;
  const server = await startServer(
    { ...E2E_EMPTY_ENV, ...env },
    {
      template,
      async prepare(pgliteDir) {
        const db = new Kysely<DB>({
          dialect: createDialect({ kind: 'pglite', dir: pgliteDir }, () => {}),
        });
        try {
          fixtures = await create(db);
        } finally {
          // Closes PGlite and releases the folder's lock before the server takes it.
          await db.destroy();
        }
      },
    },
  );
  return { server, fixtures: fixtures as T };
}

/**
 * What most journeys start from: an open consultation with `recommendations` recommendations
 * (three unless told), and an account that organises every consultation (a site-wide role).
 */
export async function createOpenConsultation(
  db: Kysely<DB>,
  options: { recommendations?: number; consultation?: Partial<NewConsultation> } = {},
) {
  const consultation = await createConsultation(db, { status: 'open', ...options.consultation });
  const recommendations = [];
  for (let i = 0; i < (options.recommendations ?? 3); i++) {
    recommendations.push(await createRecommendation(db, consultation.id));
  }
  const organiser = await createUser(db, {
    displayName: 'Fixture Organiser',
    segment: 'other',
    segmentOther: 'Organiser',
  });
  await grantRole(db, organiser.id, 'organiser');
  return { consultation, recommendations, organiser };
}

/** A recommendation list that reads like a real consultation's, for pages and screenshots. */
const CAST_RECOMMENDATIONS = [
  {
    title: 'Open a national queue for shared research compute',
    summary: 'One queue for the public research clusters, open to firms of any size.',
  },
  {
    title: 'Publish how compute time is allocated every quarter',
    summary: 'Who asked for time, who got it, and how long they waited.',
  },
  {
    title: 'Reserve a share of public compute for startups',
    summary: 'A fixed part of every allocation round set aside for firms under five years old.',
  },
  {
    title: 'Fund the maintainers of open source research tools',
    summary: 'Grants for the people who keep the shared software running, not only for new tools.',
  },
  {
    title: 'Give small firms a fast route through compute procurement',
    summary: 'A short form and a decision within four weeks for requests under a set size.',
  },
  {
    title: 'Offer training credits alongside compute grants',
    summary: 'Courses for the teams that receive time, so that the time is well used.',
  },
  {
    title: 'Report the energy use of public compute every year',
    summary: 'A yearly account of the energy the clusters use and where it comes from.',
  },
];

/** Someone in a cast: signs in with `email` and `password` (an Account), named on the pages. */
export type CastMember = TestUser & { organisation: string | null };

async function castMember(
  db: Kysely<DB>,
  overrides: UserOverrides & { email: string; displayName: string },
): Promise<CastMember> {
  const user = await createUser(db, overrides);
  return { ...user, organisation: overrides.organisation ?? null };
}

/**
 * What most journeys start from: an open consultation with `recommendations` recommendations
 * (three unless told, at most seven named ones) and one account for each part a person plays:
 * a founder and an investor (respondents), a moderator of this consultation, and an organiser
 * of every consultation. All sign in with TEST_PASSWORD.
 */
export async function createCast(
  db: Kysely<DB>,
  options: { recommendations?: number; consultation?: Partial<NewConsultation> } = {},
) {
  const consultation = await createConsultation(db, {
    status: 'open',
    title: 'Shared research compute for small firms',
    summary: 'How public research compute could be shared fairly with startups and small firms.',
    body: 'Public research compute is scarce. **Tell us** how it should be shared.',
    run_by: 'The Compute Access Review',
    ...options.consultation,
  });
  const count = options.recommendations ?? 3;
  if (count > CAST_RECOMMENDATIONS.length)
    throw new Error(`at most ${CAST_RECOMMENDATIONS.length}`);
  const recommendations: Recommendation[] = [];
  for (const { title, summary } of CAST_RECOMMENDATIONS.slice(0, count)) {
    recommendations.push(
      await createRecommendation(db, consultation.id, {
        title,
        summary,
        rationale:
          'Founders told the review that compute is the hardest thing for a small firm to get. ' +
          'This is one way to change that; tell us whether it would work for you.',
      }),
    );
  }
  const founder = await castMember(db, {
    email: 'founder@cast.test',
    displayName: 'Farah Founder',
    organisation: 'Lighthouse Robotics Ltd',
    segment: 'founder',
  });
  const investor = await castMember(db, {
    email: 'investor@cast.test',
    displayName: 'Ivan Investor',
    organisation: 'Harbour Ventures',
    segment: 'investor',
  });
  const moderator = await castMember(db, {
    email: 'moderator@cast.test',
    displayName: 'Mo Moderator',
    segment: 'other',
    segmentOther: 'Moderator',
  });
  await grantRole(db, moderator.id, 'moderator', consultation.id);
  const organiser = await castMember(db, {
    email: 'organiser@cast.test',
    displayName: 'Olu Organiser',
    segment: 'other',
    segmentOther: 'Organiser',
  });
  await grantRole(db, organiser.id, 'organiser');
  return { consultation, recommendations, founder, investor, moderator, organiser };
}

export type Cast = Awaited<ReturnType<typeof createCast>>;

/**
 * A placeholder appended to the consultation's recommendations: listed, but not open for
 * answers, comments or endorsements until an organiser names it.
 */
export function createPlaceholder(db: Kysely<DB>, consultationId: string) {
  return createRecommendation(db, consultationId, {
    state: 'placeholder',
    title: 'A further reform, still to be named',
    summary: 'The review names this reform once its evidence has been checked.',
    rationale: 'Listed so that the number of reforms is right; not a proposal in its own right.',
  });
}

/** A cast (see createCast) whose open recommendations are followed by a placeholder. */
export async function createCastWithPlaceholder(db: Kysely<DB>, recommendations: number) {
  const cast = await createCast(db, { recommendations });
  return { ...cast, placeholder: await createPlaceholder(db, cast.consultation.id) };
}

const STANCE_SCALE = [
  'strongly_support',
  'support',
  'neutral',
  'oppose',
  'strongly_oppose',
] as const;

/**
 * `count` submitted responses (fifteen unless told: five in each segment, so that no group is
 * too small to show publicly), each answering every one of `recommendations` with a stance and
 * an importance. Support falls from the first recommendation to the last: net support is
 * positive for the first and negative from the third on.
 */
export async function createAnsweredResponses(
  db: Kysely<DB>,
  consultationId: string,
  recommendations: readonly Recommendation[],
  count = 15,
) {
  const written = [];
  for (let i = 0; i < count; i++) {
    written.push(
      await insertAnsweredResponse(db, consultationId, {
        segment: SEGMENTS[i % SEGMENTS.length],
        answers: recommendations.map((recommendation, j) => ({
          recommendationId: recommendation.id,
          stance: STANCE_SCALE[Math.min(Math.floor((i % 5) / 2) + j, STANCE_SCALE.length - 1)],
          importance: (i % 5) + 1,
        })),
      }),
    );
  }
  return written;
}

const HOUR = 60 * 60 * 1000;

/**
 * A moderation queue on a cast's consultation (three recommendations at least), as readers and
 * the rules leave one: two link-spam comments and a duplicate held for review, two comments with
 * reports below the threshold, one hidden by three reports, and `quotes` quotable reasons
 * (three unless told) waiting in older responses. Returns the texts, to find the rows by.
 */
export async function createModerationQueue(
  db: Kysely<DB>,
  cast: Cast,
  options: { quotes?: number } = {},
) {
  const [first, second, third] = cast.recommendations;
  if (!first || !second || !third) throw new Error('a moderation queue needs 3 recommendations');
  const person = (displayName: string, segment: Segment, organisation: string | null = null) =>
    createUser(db, { displayName, segment, organisation });
  const amara = await person('Amara Okafor', 'founder', 'Lattice Health');
  const tom = await person('Tom Reilly', 'other');
  const priya = await person('Priya Natarajan', 'investor', 'Northgate Capital');
  const sam = await person('Sam Adeyemi', 'investor', 'Tidewater Ventures');
  const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
  const texts = {
    gpuSpam:
      'Cheap GPU hosting for startups!!! Best rates at www.example-gpu-deals.test and www.example-gpu-deals.test/offer and https://example-gpu-deals.test/signup',
    grantSpam:
      'Grant writing support here: https://example-grants.test, https://example-grants.test/pricing and https://example-grants.test/testimonials',
    duplicate:
      'From the investor side: a predictable timeline matters more than a fast one. Publish the review stages and their maximum durations.',
    offTopic:
      'Shared compute is fine, but who pays to maintain it after year two? Ask the universities directly.',
    disputed: 'Public compute already sits idle 95% of the time, so a queue is pointless.',
    abusive: 'Anyone who supports this is either naive or paid by the big labs. Wake up.',
    quotes: [
      'A queue would let us plan training runs instead of begging for credits.',
      'Publishing the allocations is the only way to see whether small firms get a fair share.',
      'Without a reserved share, large labs will book every hour there is.',
    ],
  };
  await insertComment(db, first.id, {
    authorId: sam.id,
    body: texts.gpuSpam,
    status: 'held',
    heldReason: 'links',
    createdAt: ago(120),
  });
  await insertComment(db, second.id, {
    authorId: priya.id,
    body: texts.duplicate,
    status: 'held',
    heldReason: 'duplicate',
    createdAt: ago(80),
  });
  await insertComment(db, third.id, {
    authorId: sam.id,
    body: texts.grantSpam,
    status: 'held',
    heldReason: 'links',
    createdAt: ago(60),
  });
  const reported = [
    { on: first, by: amara, text: texts.offTopic, hours: 130, reports: [['off_topic', tom]] },
    {
      on: second,
      by: tom,
      text: texts.disputed,
      hours: 90,
      reports: [
        ['misinformation', amara],
        ['misinformation', sam],
      ],
    },
    {
      on: first,
      by: tom,
      text: texts.abusive,
      hours: 150,
      reports: [
        ['abuse', amara],
        ['abuse', priya],
        ['abuse', sam],
      ],
    },
  ] as const;
  for (const c of reported) {
    const hidden = c.reports.length >= cast.consultation.report_threshold;
    const comment = await insertComment(db, c.on.id, {
      authorId: c.by.id,
      body: c.text,
      status: hidden ? 'hidden' : 'visible',
      createdAt: ago(c.hours),
    });
    for (const [index, [reason, by]] of c.reports.entries()) {
      await insertReport(db, comment.id, {
        userId: by.id,
        reason,
        createdAt: ago(c.hours - 1 - index),
      });
    }
    if (hidden) {
      await recordAudit(db, {
        actorId: null,
        action: 'comment.auto_hidden',
        targetType: 'comment',
        targetId: comment.id,
        consultationId: cast.consultation.id,
        reason: `Reported by ${c.reports.length} people.`,
        before: { status: 'visible' },
        after: { status: 'hidden', reportCount: c.reports.length },
      });
    }
  }
  for (let index = 0; index < (options.quotes ?? texts.quotes.length); index++) {
    await insertAnsweredResponse(db, cast.consultation.id, {
      segment: SEGMENTS[index % SEGMENTS.length],
      // One an hour, the newest an hour ago.
      submittedAt: ago(1 + (options.quotes ?? texts.quotes.length) - index),
      answers: [
        {
          recommendationId: cast.recommendations[index % 3]!.id,
          stance: 'support',
          reasons: texts.quotes[index % texts.quotes.length]!,
          quoteStatus: 'pending',
        },
      ],
    });
  }
  return texts;
}

import { randomBytes } from 'node:crypto';
import { STANCES } from '~/lib/enums';
import type { Kysely } from 'kysely';
import { hashPassword } from '~/.server/auth/password';
import { newReference, writeSubmittedResponses } from '~/.server/responses/submitted';
import { analyseAnswer, type AnswerAnalysis } from '~/.server/results';
import type { Consent, DB, Segment, Stance } from './schema';
import {
  firstNames,
  lastInitials,
  organisations,
  reasonBanks,
  segmentAsides,
  type Bank,
  type Tone,
} from './seed-results-content';

// Sample responses for the demo consultation, so that the results pages have a realistic spread
// to show: segments that agree on some recommendations and are divided on others, opinion that
// moves over the weeks, reasons whose tone mostly matches their stance, and every publication
// choice. Deterministic (a seeded generator), written in bulk, counted by the rollup triggers.

export const SAMPLE_EMAIL_DOMAIN = 'sample-respondents.demo.test';
const DAYS = 56;
const CHUNK = 1000;

/** The order of the weights below: the questionnaire's scale reversed, then "no view". */
const WEIGHT_ORDER: Stance[] = [...STANCES.filter((s) => s !== 'no_view').reverse(), 'no_view'];
export type Weights = [number, number, number, number, number, number];

/**
 * Stance weights (strongly oppose … strongly support, no view) by recommendation number and
 * segment. Founders and investors agree on 1, 4 and 6, are divided on 2 and 5; others are wary
 * of the regulatory fast-track (3). The demo's unnamed seventh is a placeholder and is never
 * answered (placeholders are skipped below); its weights serve larger sample consultations.
 */
const STANCE_WEIGHTS: Record<number, Record<Segment, Weights>> = {
  1: {
    founder: [3, 6, 12, 40, 34, 5],
    investor: [4, 9, 17, 42, 22, 6],
    other: [5, 9, 16, 38, 26, 6],
  },
  2: {
    founder: [4, 8, 12, 36, 34, 6],
    investor: [26, 34, 14, 15, 6, 5],
    other: [6, 10, 14, 36, 28, 6],
  },
  3: {
    founder: [4, 7, 14, 40, 30, 5],
    investor: [6, 12, 20, 40, 16, 6],
    other: [22, 30, 18, 18, 6, 6],
  },
  4: {
    founder: [2, 4, 10, 42, 38, 4],
    investor: [3, 7, 16, 46, 22, 6],
    other: [3, 6, 18, 44, 22, 7],
  },
  5: {
    founder: [6, 10, 16, 34, 28, 6],
    investor: [24, 30, 18, 16, 6, 6],
    other: [8, 14, 24, 30, 14, 10],
  },
  6: {
    founder: [2, 5, 12, 40, 36, 5],
    investor: [2, 4, 10, 38, 42, 4],
    other: [4, 8, 20, 38, 22, 8],
  },
  7: { founder: [2, 3, 15, 6, 2, 72], investor: [3, 4, 14, 5, 2, 72], other: [2, 3, 16, 6, 2, 71] },
};
/** Share of respondents answering each recommendation. */
const ANSWER_RATE: Record<number, number> = {
  1: 0.85,
  2: 0.8,
  3: 0.7,
  4: 0.75,
  5: 0.7,
  6: 0.8,
  7: 0.25,
};

/** A small, fast, seeded generator (mulberry32), so every demo database looks the same. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]) =>
  items[Math.floor(random() * items.length)]!;

function weighted(random: Random, weights: readonly number[]) {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/**
 * What a consultation's sample responses say: stance weights and answer rates by recommendation
 * number, and the reasons to draw from. The demo consultation's is the default.
 */
export type SampleStory = {
  weights: Record<number, Record<Segment, Weights>>;
  answerRate: Record<number, number>;
  reasons: Record<number, Bank>;
  /** Founders warm to the demo's Innovate UK reform (its fifth) over the weeks. */
  drift: boolean;
};

const DEMO_STORY: SampleStory = {
  weights: STANCE_WEIGHTS,
  answerRate: ANSWER_RATE,
  reasons: reasonBanks,
  drift: true,
};

function stanceFor(
  random: Random,
  story: SampleStory,
  number: number,
  segment: Segment,
  progress: number,
): Stance {
  const weights = [...story.weights[number]![segment]] as Weights;
  // Founders warm to the Innovate UK reform as the consultation goes on.
  if (story.drift && number === 5 && segment === 'founder') {
    weights[0] *= 1.6 - progress;
    weights[1] *= 1.6 - progress;
    weights[4] *= 0.5 + progress;
  }
  return WEIGHT_ORDER[weighted(random, weights)]!;
}

function toneFor(random: Random, stance: Stance): Tone {
  const mismatch = random() < 0.08;
  if (stance === 'support' || stance === 'strongly_support')
    return mismatch ? 'negative' : 'positive';
  if (stance === 'oppose' || stance === 'strongly_oppose')
    return mismatch ? 'positive' : 'negative';
  return random() < 0.7 ? 'neutral' : pick(random, ['positive', 'negative'] as const);
}

function reasonsFor(bank: Bank, random: Random, segment: Segment, tone: Tone) {
  const sentences = [pick(random, bank[tone])];
  const roll = random();
  if (roll < 0.35) sentences.unshift(pick(random, segmentAsides[segment][tone]));
  if (roll > 0.6) {
    const second = pick(random, bank[random() < 0.8 ? tone : 'neutral']);
    if (second !== sentences[0]) sentences.push(second);
  }
  return sentences.join(' ');
}

function importanceFor(random: Random, stance: Stance) {
  const strong = stance === 'strongly_support' || stance === 'strongly_oppose';
  if (stance === 'no_view') return random() < 0.6 ? null : 1 + Math.floor(random() * 3);
  return Math.min(5, Math.max(1, Math.round((strong ? 4.2 : 3.1) + (random() - 0.5) * 2.4)));
}

/** More arrive at the opening and after a mid-consultation newsletter; fewer at weekends. */
function submittedAt(random: Random, opensAt: Date, now: Date) {
  const span = Math.max(1, Math.min(DAYS, Math.floor((now.getTime() - opensAt.getTime()) / 864e5)));
  const weights = Array.from({ length: span }, (_, day) => {
    const launch = day < 4 ? 3 - day * 0.5 : 0;
    const newsletter = Math.abs(day - Math.round(span * 0.55)) < 3 ? 1.8 : 0;
    const weekday = (opensAt.getUTCDay() + day) % 7;
    return (weekday === 0 || weekday === 6 ? 0.45 : 1) + launch + newsletter;
  });
  const day = weighted(random, weights);
  const at = new Date(opensAt.getTime() + day * 864e5 + (1 + random() * 12) * 36e5);
  return at > now ? new Date(now.getTime() - random() * 36e5) : at;
}

/** A receipt reference drawn from the seeded generator, so the demo's are the same each time. */
function reference(random: Random) {
  return newReference((bound) => Math.floor(random() * bound));
}

async function insertChunks<T>(items: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += CHUNK) await insert(items.slice(i, i + CHUNK));
}

export type SampleResponsesReport = { responses: number; answers: number; milliseconds: number };

/**
 * Adds `count` submitted responses from sample respondents to a consultation, in one
 * transaction, submitted before `now`. The sample accounts have an unusable random password;
 * their addresses start with `accountPrefix`, so two consultations' samples never collide.
 */
export async function seedSampleResponses(
  db: Kysely<DB>,
  consultationId: string,
  count: number,
  options: { seed?: number; now?: Date; story?: SampleStory; accountPrefix?: string } = {},
): Promise<SampleResponsesReport> {
  const started = performance.now();
  const story = options.story ?? DEMO_STORY;
  const prefix = options.accountPrefix ?? 'respondent';
  const random = seededRandom(options.seed ?? 20261201);
  const now = options.now ?? new Date();
  const consultation = await db
    .selectFrom('consultations')
    .select(['opens_at'])
    .where('id', '=', consultationId)
    .executeTakeFirstOrThrow();
  const opensAt = consultation.opens_at ?? new Date(now.getTime() - DAYS * 864e5);
  const recommendations = await db
    .selectFrom('recommendations')
    .select(['id', 'number'])
    .where('consultation_id', '=', consultationId)
    // A placeholder takes no answers, so the sample responses do not answer it either.
    .where('state', '=', 'open')
    .orderBy('number')
    .execute();
  // One hash for every sample account, of a password nobody keeps.
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  const analyses = new Map<string, AnswerAnalysis>();
  const analyse = (stance: Stance | null, reasons: string | null) => {
    const key = `${stance}|${reasons}`;
    let analysis = analyses.get(key);
    if (!analysis) analyses.set(key, (analysis = analyseAnswer(stance, reasons)));
    return analysis;
  };

  const references = new Set<string>();
  const people = Array.from({ length: count }, (_, i) => {
    const segment: Segment = (['founder', 'investor', 'other'] as const)[
      weighted(random, [45, 30, 25])
    ]!;
    const verified = random() < (segment === 'other' ? 0.15 : 0.4);
    const consent: Consent = (['named', 'anonymous', 'private'] as const)[
      weighted(random, [30, 50, 20])
    ]!;
    let ref = reference(random);
    while (references.has(ref)) ref = reference(random);
    references.add(ref);
    const at = submittedAt(random, opensAt, now);
    return {
      email: `${prefix}-${String(i + 1).padStart(5, '0')}@${SAMPLE_EMAIL_DOMAIN}`,
      displayName: `${pick(random, firstNames)} ${pick(random, lastInitials)}.`,
      organisation: pick(random, organisations[segment]),
      segmentOther: segment === 'other' ? 'Member of the public' : null,
      segment,
      verified,
      consent,
      reference: ref,
      at,
      progress: (at.getTime() - opensAt.getTime()) / (now.getTime() - opensAt.getTime() || 1),
    };
  });

  return db.transaction().execute(async (trx) => {
    const userIds: string[] = [];
    await insertChunks(people, async (chunk) => {
      const rows = await trx
        .insertInto('users')
        .values(
          chunk.map((p) => ({
            email: p.email,
            password_hash: passwordHash,
            created_at: p.at,
            email_verified_at: p.at,
          })),
        )
        .returning('id')
        .execute();
      userIds.push(...rows.map((r) => r.id));
    });
    await insertChunks(
      people.map((p, i) => ({ p, userId: userIds[i]! })),
      (chunk) =>
        trx
          .insertInto('respondent_profiles')
          .values(
            chunk.map(({ p, userId }) => ({
              user_id: userId,
              display_name: p.displayName,
              organisation: p.organisation,
              segment: p.segment,
              segment_other: p.segmentOther,
              verified: p.verified,
            })),
          )
          .execute(),
    );
    const byPerson = people.map((p) => {
      const chosen = recommendations.filter((r) => random() < (story.answerRate[r.number] ?? 0.6));
      if (chosen.length === 0) chosen.push(recommendations[0]!);
      return chosen.map((r) => {
        const numbers = Object.keys(story.weights).length;
        const number = ((r.number - 1) % numbers) + 1;
        const stance = stanceFor(random, story, number, p.segment, p.progress);
        const reasons =
          random() < 0.62
            ? reasonsFor(story.reasons[number]!, random, p.segment, toneFor(random, stance))
            : null;
        return {
          recommendationId: r.id,
          stance,
          importance: importanceFor(random, stance),
          reasons,
          changeMind: null,
        };
      });
    });
    await writeSubmittedResponses(
      trx,
      people.map((p, i) => ({
        consultationId,
        userId: userIds[i]!,
        reference: p.reference,
        idempotencyKey: randomUUIDFrom(random),
        submittedAt: p.at,
        snapshot: {
          profile: {
            displayName: p.displayName,
            organisation: p.organisation,
            segment: p.segment,
            segmentOther: p.segmentOther,
            organisationStage: null,
            region: null,
            verified: p.verified,
          },
          consent: p.consent,
          overallComments: null,
          answers: byPerson[i]!,
        },
        // The demo consultation is not pre-moderated and nothing in it has been hidden yet, so
        // every quote is published (the moderation demo seeds its own queue).
        quoteStatuses: Object.fromEntries(
          byPerson[i]!.map((a) => [a.recommendationId, 'published']),
        ),
      })),
      { analyse },
    );
    const answers = byPerson.reduce((n, list) => n + list.length, 0);
    return {
      responses: people.length,
      answers,
      milliseconds: Math.round(performance.now() - started),
    };
  });
}

function randomUUIDFrom(random: Random) {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

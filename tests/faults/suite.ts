// The fault suite's world: a throwaway Postgres cluster with a migrated, seeded template
// database, people signed in with drafts ready to submit, one database per scenario copied from
// the template, and the app processes each scenario starts on it.
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { onTestFinished } from 'vitest';
import type { DB } from '#db/schema';
import { createLucia } from '~/.server/auth/lucia';
import { saveAnswer, saveFinalStep, saveProfileStep } from '~/.server/responses';
import { AnswerSchema, FinalStepSchema, ProfileSchema } from '~/lib/schemas/responses';
import { startCluster, type Cluster } from '#tests/support/cluster';
import { createUser, makeViewer } from '#tests/support/factories';
import { startServer, type TestServer } from '#tests/support/server';
import { SEGMENTS, STANCES } from '~/lib/enums';

/** `npm run test:faults` sets FAULTS=full: hundreds of writes and repeated faults per scenario. */
export const FULL = process.env.FAULTS === 'full';

/** The short run's sizes keep `npm test` quick; the full run's give the figures in RELIABILITY.md. */
export const SIZE = FULL
  ? {
      actors: 150,
      restarts: ['fast', 'immediate', 'fast', 'immediate', 'fast', 'immediate'] as const,
      terminations: 30,
      lockRounds: 25,
      lockActors: 2,
      drainRounds: 5,
      drainActors: 10,
      kills: 3,
      deadlineMs: 240_000,
    }
  : {
      actors: 8,
      restarts: ['fast', 'immediate'] as const,
      terminations: 8,
      lockRounds: 3,
      lockActors: 2,
      drainRounds: 1,
      drainActors: 8,
      kills: 1,
      deadlineMs: 30_000,
    };

/** The app's pool (DB_POOL_SIZE), set explicitly so the lock scenario can leave room in it. */
export const POOL_SIZE = 10;

export const SLUG = 'hidden-in-plain-sight';
/** The app's connections carry this name, so faults hit them and not the suite's own. */
export const APP_NAME = 'oc-fault-app';
const TEMPLATE = 'oc_fault_template';

export type Actor = {
  index: number;
  userId: string;
  cookie: string;
  /** Each person's own address (the app trusts one proxy hop), so rate limits are per person. */
  ip: string;
};

export type WriteKind = 'submit' | 'endorse' | 'save';

export type Write = {
  kind: WriteKind;
  actor: Actor;
  /** The page whose form is posted. */
  page: string;
  /** What the person typed or chose; the form's hidden fields are added from the page. */
  fields: Record<string, string>;
  /** Text the person typed, which a 503 page must show again. */
  typed: string | null;
  recommendation: string | null;
};

export type FaultSuite = {
  cluster: Cluster;
  actors: Actor[];
  /** Slugs of the demo consultation's recommendations that are open for answers. */
  recommendations: string[];
  /** A database copied from the template, with its own app processes, closed after the test. */
  scenario(label: string): Promise<Scenario>;
  destroy(): Promise<void>;
};

export type Scenario = {
  label: string;
  database: string;
  /** The suite's own connection, for the checks. */
  db: Kysely<DB>;
  /** The app's DATABASE_URL. */
  databaseUrl: string;
  startApp(env?: Record<string, string>): Promise<TestServer>;
  /** What the scenario's app processes printed, to explain a failure. */
  appOutput(): string;
  /** Three writes (a page save, an endorsement, a submit) for each of `count` people. */
  writes(count: number, from?: number): Write[];
};

function kysely(url: string, max = 4) {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Starts the cluster and builds the template: the app migrates and seeds it (as it does at every
 * start), then the suite adds its people, each signed in with a draft that can be submitted.
 */
export async function startFaultSuite(): Promise<FaultSuite> {
  const cluster = await startCluster();
  try {
    await cluster.query(`create database ${TEMPLATE}`);
    const app = await startApp(cluster.url(TEMPLATE, APP_NAME));
    await app.stop();
    const db = kysely(cluster.url(TEMPLATE), 8);
    let prepared: { actors: Actor[]; recommendations: string[] };
    try {
      prepared = await prepareActors(db, SIZE.actors);
    } finally {
      await db.destroy();
    }
    return {
      cluster,
      ...prepared,
      scenario: (label) => newScenario(cluster, label, prepared),
      destroy: () => cluster.destroy(),
    };
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
}

async function newScenario(
  cluster: Cluster,
  label: string,
  { actors, recommendations }: { actors: Actor[]; recommendations: string[] },
): Promise<Scenario> {
  const database = `f_${label}_${randomBytes(3).toString('hex')}`;
  await cluster.query(`create database ${database} template ${TEMPLATE}`);
  const databaseUrl = cluster.url(database, APP_NAME);
  const db = kysely(cluster.url(database));
  const apps: TestServer[] = [];
  // Every app process of the scenario stops with it, even when a check failed.
  onTestFinished(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await db.destroy();
  });
  const nonce = randomBytes(3).toString('hex');
  return {
    label,
    database,
    db,
    databaseUrl,
    async startApp(env = {}) {
      const app = await startApp(databaseUrl, env);
      apps.push(app);
      return app;
    },
    appOutput: () => apps.map((app) => app.output()).join('\n'),
    writes(count, from = 0) {
      const people = actors.slice(from, from + count);
      if (people.length < count) throw new Error(`Only ${actors.length} people were prepared`);
      // Round by round, so that one person's writes are spread over the run.
      return [0, 1, 2].flatMap((round) =>
        people.map((actor) =>
          planWrite(KINDS[(actor.index + round) % 3]!, actor, recommendations, nonce),
        ),
      );
    },
  };
}

function startApp(databaseUrl: string, env: Record<string, string> = {}) {
  return startServer({
    DATABASE_URL: databaseUrl,
    SEED_DEMO: 'true',
    SEED_RESPONSES: '0',
    TRUST_PROXY_HOPS: '1',
    DB_POOL_SIZE: String(POOL_SIZE),
    ...env,
  });
}

async function prepareActors(db: Kysely<DB>, count: number) {
  const recommendations = (
    await db
      .selectFrom('recommendations')
      .innerJoin('consultations', 'consultations.id', 'recommendations.consultation_id')
      .select('recommendations.slug')
      .where('consultations.slug', '=', SLUG)
      .where('recommendations.state', '=', 'open')
      .orderBy('recommendations.number')
      .execute()
  ).map((r) => r.slug);
  const lucia = createLucia(db, false);
  const actors: Actor[] = [];
  const prepare = async (index: number): Promise<Actor> => {
    const segment = SEGMENTS[index % SEGMENTS.length]!;
    const user = await createUser(db, { segment, displayName: `Fault tester ${index}` });
    const viewer = await makeViewer(db, user.id);
    await saveProfileStep(
      db,
      viewer,
      SLUG,
      ProfileSchema.parse({ segment, segmentOther: segment === 'other' ? 'Researcher' : '' }),
    );
    await saveAnswer(
      db,
      viewer,
      SLUG,
      recommendations[0]!,
      AnswerSchema.parse({ stance: 'support', reasons: `Draft reasons of tester ${index}` }),
    );
    await saveFinalStep(db, viewer, SLUG, FinalStepSchema.parse({ consent: 'anonymous' }));
    const session = await lucia.createSession(user.id, {});
    return {
      index,
      userId: user.id,
      cookie: `oc_session=${session.id}`,
      ip: `10.${(index >> 8) & 255}.${index & 255}.7`,
    };
  };
  for (let start = 0; start < count; start += 8) {
    const batch = Array.from({ length: Math.min(8, count - start) }, (_, i) => start + i);
    actors.push(...(await Promise.all(batch.map(prepare))));
  }
  return { actors, recommendations };
}

const KINDS: WriteKind[] = ['save', 'endorse', 'submit'];

function planWrite(kind: WriteKind, actor: Actor, recommendations: string[], nonce: string): Write {
  const base = `/consultations/${SLUG}`;
  if (kind === 'submit') {
    return {
      kind,
      actor,
      page: `${base}/respond/check`,
      fields: {},
      typed: null,
      recommendation: null,
    };
  }
  if (kind === 'endorse') {
    const recommendation = recommendations[actor.index % recommendations.length]!;
    return {
      kind,
      actor,
      page: `${base}/recommendations/${recommendation}`,
      fields: actor.index % 2 ? { showName: 'on' } : {},
      typed: null,
      recommendation,
    };
  }
  // The draft answered the first recommendation; this page saves the second.
  const recommendation = recommendations[1]!;
  const typed = `Fault suite reasons ${nonce} from tester ${actor.index}`;
  return {
    kind,
    actor,
    page: `${base}/respond/recommendations/${recommendation}`,
    fields: {
      stance: STANCES[actor.index % STANCES.length]!,
      importance: String((actor.index % 5) + 1),
      reasons: typed,
      changeMind: '',
    },
    typed,
    recommendation,
  };
}

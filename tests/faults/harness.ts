// The fault suite's shared machinery: a throwaway Postgres cluster with a migrated, seeded
// template database, signed-in people with drafts ready to submit, a client that writes the way a
// browser without JavaScript does (fetch the form, post its hidden fields with what was typed,
// press "Try again" after a 503), and the checks every scenario ends with.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { connect } from 'node:net';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { expect, onTestFinished } from 'vitest';
import type { DB, Segment } from '#db/schema';
import { createLucia } from '~/.server/auth/lucia';
import { checkResults } from '~/.server/results';
import { saveAnswer, saveFinalStep, saveProfileStep } from '~/.server/responses';
import { AnswerSchema, FinalStepSchema, ProfileSchema, STANCES } from '~/lib/schemas/responses';
import { startCluster, type Cluster } from '#tests/support/cluster';
import { createUser, makeViewer } from '#tests/support/factories';
import { startServer, type TestServer } from '#tests/support/server';

/** `npm run test:faults` sets FAULTS=full: hundreds of writes and repeated faults per scenario. */
export const FULL = process.env.FAULTS === 'full';

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
      terminations: 3,
      lockRounds: 3,
      lockActors: 2,
      drainRounds: 1,
      drainActors: 8,
      kills: 1,
      deadlineMs: 30_000,
    };
/** People writing at once: enough to keep requests inside Postgres when a fault hits. */
export const CONCURRENCY = 6;
/** The app's pool (DB_POOL_SIZE), set explicitly so the lock scenario can leave room in it. */
export const POOL_SIZE = 10;
/** How soon after Postgres is back the app must answer its health check with 200 again. */
export const SERVE_AGAIN_WITHIN_MS = 5_000;
/** The pause before pressing "Try again"; shorter than Retry-After, to keep the run short. */
const RETRY_PAUSE_MS = 250;
const REQUEST_TIMEOUT_MS = 30_000;

export const SLUG = 'hidden-in-plain-sight';
/** The app's connections carry this name, so faults hit them and not the suite's own. */
export const APP_NAME = 'oc-fault-app';
const TEMPLATE = 'oc_fault_template';
const SEGMENTS: Segment[] = ['founder', 'investor', 'other'];

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

/** A write whose form page was fetched: the exact body a browser would post, every time. */
export type PreparedWrite = {
  write: Write;
  action: string;
  body: string;
  /** The hidden fields and typed values in the body (the idempotency keys among them). */
  sent: Record<string, string>;
};

export type Attempt =
  | {
      ok: true;
      status: number;
      headers: http.IncomingHttpHeaders;
      body: string;
      ms: number;
    }
  | { ok: false; error: string; ms: number };

export type Outcome = {
  write: Write;
  /** The hidden fields and typed values actually sent (the idempotency keys among them). */
  sent: Record<string, string>;
  acknowledged: boolean;
  posts: number;
  /** Every 503: how long it took, its Retry-After and whether it showed what was typed again. */
  unavailable: { ms: number; retryAfter: string | undefined; keptTyped: boolean }[];
  /** Connections reset or refused while posting. */
  resets: number;
  /** Anything that is neither an acknowledgement nor a 503 with Retry-After. */
  problems: string[];
};

export type Target = { url: string };
/** When to give up, read at every attempt (a burst may be stopped early). */
export type Deadline = () => number;

/** A deadline `ms` from now. */
export function deadlineIn(ms: number): Deadline {
  const at = performance.now() + ms;
  return () => at;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the promise's value, or fails after `ms` with a message saying what was awaited. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// The cluster, the template and one database per scenario

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

// ---------------------------------------------------------------------------------------------
// HTTP, as a browser without JavaScript does it

const agents = new Map<string, http.Agent>();
function agentFor(origin: string) {
  let agent = agents.get(origin);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    agents.set(origin, agent);
  }
  return agent;
}

export function closeAgents() {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/**
 * One request over a keep-alive connection. A response counts only when its body arrived in full;
 * a reset, a refusal or a cut body is an error (`ok: false`).
 */
export function request(
  url: string,
  options: { method?: 'GET' | 'POST'; actor?: Actor; body?: string; fresh?: boolean } = {},
): Promise<Attempt> {
  const started = performance.now();
  const target = new URL(url);
  const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
  if (options.actor) {
    headers.Cookie = options.actor.cookie;
    headers['X-Forwarded-For'] = options.actor.ip;
  }
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers['Content-Length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      resolve(attempt);
    };
    const failed = (error: unknown) =>
      settle({
        ok: false,
        error: (error as NodeJS.ErrnoException).code ?? String(error),
        ms: performance.now() - started,
      });
    const req = http.request(
      target,
      {
        method: options.method ?? 'GET',
        headers,
        agent: options.fresh ? false : agentFor(target.origin),
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', failed);
        res.on('aborted', () => failed(new Error('body cut')));
        res.on('end', () => {
          if (!res.complete) return failed(new Error('body cut'));
          settle({
            ok: true,
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', failed);
    req.end(options.body);
  });
}

/** Whether new TCP connections to the app are refused (it stopped listening) within `ms`. */
export async function refusesConnections(url: string, ms = 2000) {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await refused(url)) return true;
    await sleep(50);
  }
  return false;
}

function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 2000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ECONNREFUSED');
    });
  });
}

function decodeEntities(value: string) {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attributes(tag: string) {
  const found: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/([^\s=<>/]+)(?:="([^"]*)")?/g)) {
    found[name!.toLowerCase()] = decodeEntities(value ?? '');
  }
  return found;
}

/** Which form on the page each kind of write posts. */
const FORM_OF: Record<WriteKind, (inputs: Record<string, string>[]) => boolean> = {
  submit: (inputs) => inputs.some((i) => i.name === 'submissionKey'),
  endorse: (inputs) =>
    inputs.some((i) => i.type === 'hidden' && i.name === 'intent' && i.value === 'endorse'),
  save: (inputs) => inputs.some((i) => i.name === 'stance'),
};

/** The form's action and hidden fields, or null when the page has no such form. */
export function readForm(html: string, kind: WriteKind, page: string) {
  for (const [, open, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const form = attributes(open!);
    if (form.method?.toLowerCase() !== 'post') continue;
    const inputs = [...inner!.matchAll(/<input\b[^>]*>/gi)].map(([tag]) => attributes(tag));
    if (!FORM_OF[kind](inputs)) continue;
    const hidden = Object.fromEntries(
      inputs.filter((i) => i.type === 'hidden' && i.name).map((i) => [i.name!, i.value ?? '']),
    );
    return { action: form.action || page, hidden };
  }
  return null;
}

/**
 * Fetches the form page (again after a failure, until the deadline, then null), as a browser
 * would.
 */
async function prepare(
  target: Target,
  write: Write,
  deadline: Deadline,
): Promise<PreparedWrite | null> {
  while (performance.now() < deadline()) {
    const page = await request(`${target.url}${write.page}`, { actor: write.actor });
    if (page.ok && page.status === 200) {
      const form = readForm(page.body, write.kind, write.page);
      if (!form) throw new Error(`No ${write.kind} form on ${write.page}`);
      const sent = { ...form.hidden, ...write.fields };
      return { write, action: form.action, body: new URLSearchParams(sent).toString(), sent };
    }
    await sleep(RETRY_PAUSE_MS);
  }
  return null;
}

/** Every write's form, fetched before a fault that would stop the pages loading too. */
export async function prepareAll(target: Target, writes: Write[], deadline: Deadline) {
  return Promise.all(
    writes.map(async (write) => {
      const prepared = await prepare(target, write, deadline);
      if (!prepared) throw new Error(`${write.page} did not load before the deadline`);
      return { prepared, outcome: newOutcome(prepared) };
    }),
  );
}

/** Whether the app's answer to a write is the acknowledgement a person would see. */
function acknowledges(write: Write, attempt: Attempt) {
  if (!attempt.ok) return false;
  const location = String(attempt.headers.location ?? '');
  const redirected = attempt.status === 302 || attempt.status === 303;
  switch (write.kind) {
    case 'submit':
      return redirected && location.endsWith('/respond/receipt');
    case 'endorse':
      return (
        (redirected && location.startsWith(write.page)) ||
        (attempt.status === 200 && !attempt.body.includes('There is a problem'))
      );
    case 'save':
      return redirected && location.includes(`/consultations/${SLUG}/respond/`);
  }
}

/** One POST of the prepared form; `outcome` records what came back. */
export async function postOnce(target: Target, prepared: PreparedWrite, outcome: Outcome) {
  const { write } = prepared;
  outcome.posts += 1;
  const attempt = await request(`${target.url}${prepared.action}`, {
    method: 'POST',
    actor: write.actor,
    body: prepared.body,
  });
  if (acknowledges(write, attempt)) return { attempt, verdict: 'acknowledged' as const };
  if (!attempt.ok) {
    outcome.resets += 1;
    return { attempt, verdict: 'retry' as const };
  }
  if (attempt.status === 503) {
    const retryAfter = attempt.headers['retry-after'];
    const keptTyped = write.typed === null || attempt.body.includes(write.typed);
    outcome.unavailable.push({ ms: attempt.ms, retryAfter, keptTyped });
    return { attempt, verdict: 'retry' as const };
  }
  const where = `${write.kind} by tester ${write.actor.index}`;
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(attempt.body)?.[1]?.replace(/<[^>]+>/g, '');
  outcome.problems.push(
    `${where}: status ${attempt.status} ${attempt.headers.location ?? heading ?? ''} (request ${attempt.headers['x-request-id']})`,
  );
  // A 500 may pass with the fault; anything else will not change by posting again.
  return { attempt, verdict: attempt.status >= 500 ? ('retry' as const) : ('stop' as const) };
}

export function newOutcome(prepared: { write: Write; sent: Record<string, string> }): Outcome {
  return {
    write: prepared.write,
    sent: prepared.sent,
    acknowledged: false,
    posts: 0,
    unavailable: [],
    resets: 0,
    problems: [],
  };
}

/**
 * Posts the form to every target at once (the same body: two app processes given the same write),
 * pressing "Try again" after each failure until every target acknowledged it or the deadline.
 */
export async function deliver(
  targets: Target[],
  prepared: PreparedWrite,
  outcome: Outcome,
  deadline: Deadline,
) {
  const pending = new Set(targets);
  while (pending.size > 0 && performance.now() < deadline()) {
    const results = await Promise.all(
      [...pending].map(async (target) => ({
        target,
        ...(await postOnce(target, prepared, outcome)),
      })),
    );
    for (const { target, verdict } of results) {
      if (verdict === 'acknowledged') pending.delete(target);
      if (verdict === 'stop') return outcome;
    }
    if (pending.size > 0) await sleep(RETRY_PAUSE_MS);
  }
  outcome.acknowledged = pending.size === 0;
  return outcome;
}

export type Burst = {
  /** Resolves once `count` writes have started (or the burst is over). */
  started(count: number): Promise<void>;
  /** Resolves once `count` writes were acknowledged (or the burst is over). */
  acknowledged(count: number): Promise<void>;
  /** Gives up on what is left (the scenario failed already). */
  stop(): void;
  done: Promise<Outcome[]>;
};

/**
 * Runs the writes, CONCURRENCY at a time, each one fetched and then posted until acknowledged.
 * The targets are read at each attempt, so a scenario may point them at a new process.
 */
export function runWrites(writes: Write[], targets: Target[], deadlineMs = SIZE.deadlineMs): Burst {
  let deadline = performance.now() + deadlineMs;
  const stop = () => {
    deadline = 0;
  };
  // A failed scenario must not leave its writers running into the next one.
  onTestFinished(stop);
  const outcomes: Outcome[] = [];
  let started = 0;
  let acknowledged = 0;
  let finished = false;
  const waiters: { ready: () => boolean; resolve: () => void }[] = [];
  const wake = () => {
    for (const waiter of [...waiters]) {
      if (finished || waiter.ready()) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const waitFor = (ready: () => boolean) =>
    new Promise<void>((resolve) => {
      waiters.push({ ready, resolve });
      wake();
    });
  let next = 0;
  async function worker() {
    while (next < writes.length) {
      const write = writes[next++]!;
      started += 1;
      wake();
      const prepared = await prepare(targets[0]!, write, () => deadline);
      // Never loaded: not acknowledged, which the checks report.
      const outcome = newOutcome(prepared ?? { write, sent: {} });
      outcomes.push(outcome);
      if (!prepared) continue;
      await deliver(targets, prepared, outcome, () => deadline);
      if (outcome.acknowledged) acknowledged += 1;
      wake();
    }
  }
  const done = Promise.all(Array.from({ length: CONCURRENCY }, worker)).finally(() => {
    finished = true;
    wake();
  });
  return {
    started: (count) => waitFor(() => started >= count),
    acknowledged: (count) => waitFor(() => acknowledged >= count),
    stop,
    done: done.then(() => outcomes),
  };
}

/** Milliseconds until the app's health check answers 200 again; fails past SERVE_AGAIN_WITHIN_MS. */
export async function timeToServe(app: TestServer, boundMs = SERVE_AGAIN_WITHIN_MS) {
  const started = performance.now();
  let last = '';
  while (performance.now() - started < boundMs) {
    const health = await request(`${app.url}/healthcheck`, { fresh: true });
    if (health.ok && health.status === 200) return Math.round(performance.now() - started);
    last = health.ok ? `status ${health.status}` : health.error;
    if (app.exitStatus() !== null) break;
    await sleep(100);
  }
  const status = app.exitStatus();
  throw new Error(
    status === null
      ? `The app did not serve /healthcheck with 200 within ${boundMs} ms (last: ${last})`
      : `The app process ended (${status}); its last output:\n${app.output().slice(-1500)}`,
  );
}

/**
 * Soft-checks that the app serves again after a fault, recording how long it took; when it does
 * not, the burst is stopped, as nothing more can succeed.
 */
export async function servedAgain(app: TestServer, into: number[], burst?: Burst) {
  try {
    into.push(await timeToServe(app));
    return true;
  } catch (error) {
    expect.soft((error as Error).message, 'the app serves again after the fault').toBe('served');
    burst?.stop();
    return false;
  }
}

/** Waits (bounded) until at least `count` of the app's connections wait for a lock. */
export async function waitForLockWaiters(cluster: Cluster, database: string, count: number) {
  const started = performance.now();
  let waiting = 0;
  while (performance.now() - started < 10_000) {
    const { rows } = await cluster.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity
        where datname = $1 and application_name = $2 and wait_event_type = 'Lock'`,
      [database, APP_NAME],
    );
    waiting = rows[0]!.waiting;
    if (waiting >= count) return waiting;
    await sleep(50);
  }
  throw new Error(
    `Only ${waiting} of the app's connections were waiting for the lock, not ${count}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Checks

export type Figures = {
  scenario: string;
  attempted: number;
  acknowledged: number;
  stored: number;
  duplicates: number;
  unavailable: number;
  resets: number;
  problems: number;
  /** Restarts, terminations, lock rounds, SIGTERMs or SIGKILLs injected. */
  faults?: number;
  serveAgainMs?: number[];
  lock503Ms?: number[];
  drained?: number;
  cut?: number;
};

const figures: Figures[] = [];

async function storedCount(db: Kysely<DB>, outcome: Outcome) {
  const { write } = outcome;
  const response = db
    .selectFrom('responses')
    .innerJoin('consultations', 'consultations.id', 'responses.consultation_id')
    .where('consultations.slug', '=', SLUG)
    .where('responses.user_id', '=', write.actor.userId);
  const responses = await response.select('responses.id').execute();
  const extraResponses = Math.max(0, responses.length - 1);
  if (write.kind === 'submit') {
    const versions = await response
      .innerJoin('response_versions', 'response_versions.response_id', 'responses.id')
      .select('response_versions.idempotency_key')
      .execute();
    // Each person submits once here, with one key: a second version is a duplicate.
    const mine = versions.filter((v) => v.idempotency_key === outcome.sent.submissionKey);
    return { found: mine.length, duplicates: extraResponses + Math.max(0, versions.length - 1) };
  }
  if (write.kind === 'endorse') {
    const rows = await db
      .selectFrom('endorsements')
      .innerJoin('recommendations', 'recommendations.id', 'endorsements.recommendation_id')
      .innerJoin('consultations', 'consultations.id', 'recommendations.consultation_id')
      .select('endorsements.id')
      .where('consultations.slug', '=', SLUG)
      .where('recommendations.slug', '=', write.recommendation!)
      .where('endorsements.user_id', '=', write.actor.userId)
      .execute();
    return { found: rows.length, duplicates: Math.max(0, rows.length - 1) };
  }
  const answers = await response
    .innerJoin('response_answers', 'response_answers.response_id', 'responses.id')
    .innerJoin('recommendations', 'recommendations.id', 'response_answers.recommendation_id')
    .select(['response_answers.stance', 'response_answers.reasons'])
    .where('recommendations.slug', '=', write.recommendation!)
    .execute();
  const matching = answers.filter(
    (a) => a.stance === write.fields.stance && a.reasons === write.fields.reasons,
  );
  return {
    found: matching.length,
    duplicates: extraResponses + Math.max(0, answers.length - 1),
  };
}

/** Rollups against the rows they count, through the command an operator would run. */
function resultsCheckCommand(databaseUrl: string): Promise<{ passed: boolean; output: string }> {
  return new Promise((resolve) => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn('npm', ['run', '--silent', 'results:rebuild', '--', '--check'], {
      env: { ...env, DATABASE_URL: databaseUrl, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ passed: code === 0 && output.includes('Check passed'), output });
    });
  });
}

/**
 * `npm run results:rebuild -- --check`, or (to keep the short run short, where the scenario
 * does not name the command) the same check it runs, in this process.
 */
async function resultsCheck(scenario: Scenario, command: boolean) {
  if (command || FULL) return resultsCheckCommand(scenario.databaseUrl);
  const mismatches = await checkResults(scenario.db);
  return { passed: mismatches.length === 0, output: JSON.stringify(mismatches.slice(0, 20)) };
}

/** Endorsement counters that differ from the endorsement rows (the --check does not cover them). */
async function endorsementCountMismatches(db: Kysely<DB>) {
  const { rows } = await sql<{
    recommendation_id: string;
    segment: string;
    stored: number;
    rows: number;
  }>`
    select recommendation_id, segment, coalesce(c.count, 0)::int as stored, coalesce(e.n, 0)::int as rows
      from endorsement_counts c
      full join (select recommendation_id, segment, count(*) as n from endorsements group by 1, 2) e
      using (recommendation_id, segment)
     where coalesce(c.count, 0) <> coalesce(e.n, 0)`.execute(db);
  return rows;
}

/**
 * A submitted response is whole when its current version exists, the answers that count are the
 * ones that version recorded, and each version has its audit event; every response has answers.
 */
export async function halfWritten(db: Kysely<DB>, userIds: string[]) {
  const { rows } = await sql<{ id: string; problem: string }>`
    with mine as (
      select r.*, (select count(*) from response_versions v where v.response_id = r.id) as versions,
             (select count(*) from audit_events a
               where a.target_id = r.id::text and a.action like 'response.%submitted') as events
        from responses r where r.user_id = any(${userIds}::uuid[])
    )
    select id, 'no answers' as problem from mine m
     where not exists (select 1 from response_answers a where a.response_id = m.id)
    union all
    select m.id, 'submitted answers differ from version ' || m.current_version from mine m
      left join response_versions v on v.response_id = m.id and v.number = m.current_version
     where m.status = 'submitted'
       and (v.id is null or jsonb_array_length(v.snapshot -> 'answers')
            <> (select count(*) from submitted_answers s where s.response_id = m.id))
    union all
    select id, versions || ' submitted versions but ' || events || ' audit events' from mine
     where status = 'submitted' and versions <> events`.execute(db);
  return rows.map((r) => `response ${r.id}: ${r.problem}`);
}

/**
 * The checks every scenario ends with, as soft expectations so a run reports each failure:
 * every write acknowledged, every acknowledged write stored exactly once, nothing but a 503 with
 * Retry-After (and what was typed) on the way, and rollups equal to the rows they count.
 */
export async function verify(
  scenario: Scenario,
  outcomes: Outcome[],
  extra: Partial<Figures> & {
    resetsExpected?: boolean;
    /** Check the rollups through the `results:rebuild -- --check` command even in a short run. */
    command?: boolean;
  } = {},
) {
  const { resetsExpected, command = false, ...more } = extra;
  let stored = 0;
  let duplicates = 0;
  const missing: string[] = [];
  for (const outcome of outcomes) {
    const { found, duplicates: extraRows } = await storedCount(scenario.db, outcome);
    duplicates += extraRows;
    if (outcome.acknowledged && found === 1) stored += 1;
    if (outcome.acknowledged && found !== 1) {
      missing.push(`${outcome.write.kind} by tester ${outcome.write.actor.index}: found ${found}`);
    }
  }
  const unavailable = outcomes.flatMap((o) => o.unavailable);
  const result: Figures = {
    scenario: scenario.label,
    attempted: outcomes.length,
    acknowledged: outcomes.filter((o) => o.acknowledged).length,
    stored,
    duplicates,
    unavailable: unavailable.length,
    resets: outcomes.reduce((n, o) => n + o.resets, 0),
    problems: outcomes.reduce((n, o) => n + o.problems.length, 0),
    ...more,
  };
  figures.push(result);

  const check = await resultsCheck(scenario, command);
  const counters = await endorsementCountMismatches(scenario.db);
  const problems = outcomes.flatMap((o) => o.problems);
  const requestIds = problems.map((p) => /\(request (.+)\)$/.exec(p)?.[1]).filter(Boolean);
  const logged = scenario
    .appOutput()
    .split('\n')
    .filter((line) => requestIds.some((id) => line.includes(id!)));
  expect
    .soft(problems, `answers other than a 503; the app logged:\n${logged.join('\n')}`)
    .toEqual([]);
  if (!resetsExpected) expect.soft(result.resets, 'connections reset or refused').toBe(0);
  expect
    .soft(unavailable.filter((u) => !u.retryAfter).length, '503 answers without Retry-After')
    .toBe(0);
  expect
    .soft(unavailable.filter((u) => !u.keptTyped).length, '503 pages without what was typed')
    .toBe(0);
  expect.soft(result.acknowledged, 'writes acknowledged in the end').toBe(result.attempted);
  expect.soft(missing, 'acknowledged writes not stored exactly once').toEqual([]);
  expect.soft(duplicates, 'duplicate rows').toBe(0);
  expect.soft(check.passed, `results:rebuild -- --check\n${check.output}`).toBe(true);
  expect.soft(counters, 'endorsement counters that differ from the rows').toEqual([]);
  return result;
}

/** The figures of every scenario of the run, as a markdown table and one JSON line. */
export function printFigures() {
  const span = (values?: number[]) =>
    values?.length ? `${Math.min(...values)}–${Math.max(...values)}` : '–';
  const median = (values?: number[]) => {
    if (!values?.length) return '–';
    const sorted = [...values].sort((a, b) => a - b);
    return String(sorted[Math.floor(sorted.length / 2)]);
  };
  const lines = [
    '| scenario | writes attempted | acknowledged | stored once | duplicates | 503s | resets | serve again after the fault (ms) | 503 under a lock (ms, median / max) | SIGTERM drained / cut |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...figures.map(
      (f) =>
        `| ${f.scenario} | ${f.attempted} | ${f.acknowledged} | ${f.stored} | ${f.duplicates} | ${f.unavailable} | ${f.resets} | ${span(f.serveAgainMs)} | ${f.lock503Ms?.length ? `${median(f.lock503Ms)} / ${Math.max(...f.lock503Ms)}` : '–'} | ${f.drained === undefined ? '–' : `${f.drained} / ${f.cut}`} |`,
    ),
  ];
  console.log(`\nFault suite figures (${FULL ? 'full' : 'short'} run):\n${lines.join('\n')}`);
  console.log(
    `FAULT_FIGURES ${JSON.stringify({ full: FULL, at: new Date().toISOString(), figures })}`,
  );
}

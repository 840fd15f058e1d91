// A client that writes the way a browser without JavaScript does: it fetches the form, posts its
// hidden fields (the idempotency keys among them) with what was typed, and presses "Try again"
// after a 503, sending exactly the same body.
import http from 'node:http';
import { connect } from 'node:net';
import { expect, onTestFinished } from 'vitest';
import type { Cluster } from '#tests/support/cluster';
import type { TestServer } from '#tests/support/server';
import { APP_NAME, SIZE, SLUG, type Actor, type Write, type WriteKind } from './suite';

/** People writing at once: enough to keep requests inside Postgres when a fault hits. */
export const CONCURRENCY = 6;
/** How soon after Postgres is back the app must answer its health check with 200 again. */
export const SERVE_AGAIN_WITHIN_MS = 5_000;
/** The pause before pressing "Try again"; shorter than Retry-After, to keep the run short. */
const RETRY_PAUSE_MS = 250;
const REQUEST_TIMEOUT_MS = 30_000;

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

/** Where writes go; an app process also says whether it is still running. */
export type Target = { url: string; exitStatus?: () => unknown };
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
    // What a browser sends with every form post (server.js and form-token.ts check it).
    headers.Origin = target.origin;
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
  // A failed scenario must not leave its writers running into the next one, nor wait for the
  // deadline once every app process it writes to has died.
  onTestFinished(stop);
  const watch = setInterval(() => {
    if (targets.every((t) => t.exitStatus && t.exitStatus() !== null)) stop();
  }, 200);
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
    clearInterval(watch);
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

// npm run security:scan: sqlmap against every form and query string of the built app, signed in
// as each demo role (README "Security scan"). Exit 0 clean, 1 injectable or not fully scanned,
// 2 sqlmap missing. SCAN_LEVEL, SCAN_RISK, SCAN_TARGETS, SCAN_JOBS, SCAN_OUTPUT tune it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session, startApp } from './security-scan/app.mjs';
import { EXCLUDED, crawl, narrowed, routePatterns, uniqueTargets } from './security-scan/crawl.mjs';
import { running, scanTarget, sqlmapVersion } from './security-scan/sqlmap.mjs';

const level = Number(process.env.SCAN_LEVEL ?? 3);
const risk = Number(process.env.SCAN_RISK ?? 2);
const limit = process.env.SCAN_TARGETS ? Number(process.env.SCAN_TARGETS) : Infinity;
// Two sqlmap processes at once keep both cores busy (sqlmap and the app each take about one).
const jobs = Number(process.env.SCAN_JOBS ?? 2);
// SCAN_OUTPUT lets a second scan run beside one already running without sharing its files.
const outputDir = process.env.SCAN_OUTPUT ?? '.cache/security-scan';

// Least powerful first: a moderator hiding a comment or an organiser changing the consultation
// changes what later targets see, so those run after the people whose pages they change.
const ROLES = [
  { role: 'anonymous' },
  { role: 'founder', email: 'founder@demo.test', password: 'founder-demo-2026' },
  { role: 'moderator', email: 'moderator@demo.test', password: 'moderator-demo-2026' },
  { role: 'organiser', email: 'organiser@demo.test', password: 'organiser-demo-2026' },
];
/** Scanned after everything else: closing ends responding, so every respond form would only refuse. */
const RUN_LAST = ['/organise/:slug/close'];

const version = sqlmapVersion();
if (!version) {
  console.error('sqlmap is not installed. Install it with:\n\n  apt-get install -y sqlmap\n');
  process.exit(2);
}
if (!existsSync('build/server/index.js')) {
  console.log('No build yet: running npm run build');
  if (spawnSync('npm', ['run', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}

const started = Date.now();
rmSync(outputDir, { recursive: true, force: true });
mkdirSync(outputDir, { recursive: true });
const app = await startApp();
/** What the report needs, filled in as the scan goes, so an interrupted scan still reports. */
const state = {
  results: [],
  stopping: false,
  numbered: 0,
  pages: 0,
  crawled: new Set(),
  skipped: new Set(),
  unreached: [],
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    console.log(`\n${signal}: stopping; the report covers the targets finished so far`);
    state.stopping = true;
    for (const child of running) child.kill('SIGTERM');
    report({ ...state, lost: [], interrupted: true });
    await app.stop();
    process.exit(1);
  });
}
console.log(
  `sqlmap ${version}, level ${level}, risk ${risk}; app at ${app.url} on ${app.database}`,
);

let exitCode = 0;
try {
  exitCode = await scan();
} finally {
  await app.stop();
}
process.exit(exitCode);

async function scan() {
  const patterns = await routePatterns();
  const sessions = [];
  for (const { role, email, password } of ROLES) {
    const session = new Session(app.url, role);
    if (email) await session.signIn(email, password);
    sessions.push(session);
  }
  for (const e of EXCLUDED) console.log(`excluded ${e.pattern}: ${e.reason}`);

  // Two rounds: the first round's requests bring new forms into being (a comment's edit and
  // delete, a submitted response's withdraw, messages about moderation decisions), which a
  // second crawl finds. Closing the consultation waits until both are done.
  const seen = new Set();
  const covered = new Map();
  const formRoutes = new Set();
  const deferred = [];
  const headersTested = new Set();
  for (const round of [1, 2]) {
    const found = [];
    for (const session of sessions) {
      const result = await crawl(session, patterns, { maxPages: 300, perRoute: 3 });
      state.pages += result.pages;
      result.skipped.forEach((p) => state.skipped.add(p));
      result.visitedRoutes.forEach((p) => state.crawled.add(p));
      found.push(...result.targets.map((t) => ({ ...t, cookie: session.cookie })));
      console.log(
        `round ${round}: ${result.pages} pages as ${session.role}, ${result.targets.length} forms/queries`,
      );
    }
    found.forEach((t) => formRoutes.add(t.route));
    // SCAN_TARGETS limits each round, so a quick run reaches the second round too.
    const targets = number(narrowed(pick(uniqueTargets(found, seen), limit), covered));
    state.numbered += targets.length;
    if (targets.length === 0) break;
    console.log(
      `round ${round}: ${targets.length} new targets; logs in ${outputDir}/targets/<n>/\n`,
    );
    deferred.push(...targets.filter((t) => RUN_LAST.includes(t.route)));
    await scanAll(
      targets.filter((t) => !RUN_LAST.includes(t.route)),
      headersTested,
    );
  }
  await scanAll(deferred, headersTested);

  state.unreached = patterns.filter((p) => p.hasAction && !formRoutes.has(p.pattern));
  console.log(
    `routes with an action the crawl found no form for (${state.unreached.length}): ` +
      state.unreached.map((p) => p.pattern).join(', '),
  );
  // The control: had sqlmap lost a session, its targets would have been scanned signed out.
  const lost = [];
  for (const session of sessions.slice(1)) {
    if (!(await session.stillSignedIn())) lost.push(session.role);
  }
  return report({ ...state, lost });
}

/**
 * Runs sqlmap on the targets, `jobs` at a time. The session cookie, User-Agent and Referer are
 * read by the same code on every route: sqlmap tests them on each role's first target only.
 */
async function scanAll(targets, headersTested) {
  const options = { appUrl: app.url, outputDir, level, risk };
  await pool(targets, jobs, async (target) => {
    if (state.stopping) return;
    const headers = !headersTested.has(target.role);
    headersTested.add(target.role);
    const result = await scanTarget(target, { ...options, headers });
    if (state.stopping) return;
    state.results.push({ target, result });
    console.log(row(target, result));
    report({ ...state, lost: [], interrupted: true, quiet: true });
  });
}

/** Numbers targets across rounds, for their log folders and the table. */
function number(targets) {
  return targets.map((target, i) => ({ ...target, number: state.numbered + i + 1 }));
}

/** At most `n` targets, taken from each role in turn so a quick run still covers every role. */
function pick(targets, n) {
  const byRole = ROLES.map(({ role }) => targets.filter((t) => t.role === role));
  const picked = [];
  for (let i = 0; picked.length < Math.min(n, targets.length); i++) {
    for (const list of byRole) if (list[i] && picked.length < n) picked.push(list[i]);
  }
  const order = (t) => ROLES.findIndex((r) => r.role === t.role);
  return picked.sort((a, b) => order(a) - order(b));
}

async function pool(items, size, work) {
  const queue = [...items];
  const worker = async () => {
    while (queue.length > 0) await work(queue.shift());
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

function describe(target) {
  const url = new URL(target.action);
  const which = target.fields.find(([name]) => name === target.button || name === 'intent');
  return `${target.route}${url.search}${which ? ` [${which.join('=')}]` : ''}`;
}

function row(target, result) {
  const verdict = result.injectable.length > 0 ? 'YES' : result.finished ? 'no' : 'NOT FINISHED';
  const errors = result.statuses['5xx'] ? ` (${result.statuses['5xx']} × 5xx)` : '';
  return [
    String(target.number).padStart(3),
    target.role.padEnd(9),
    target.method.padEnd(4),
    describe(target).slice(0, 70).padEnd(70),
    String(result.tested.length).padStart(3),
    `${String(result.requests).padStart(6)}${errors}`,
    verdict,
  ].join('  ');
}

/**
 * Prints the table and summary (unless `quiet`) and writes .cache/security-scan.json; returns
 * the exit code. Written after every target too, marked interrupted until the scan ends.
 */
function report({ results, pages, crawled, skipped, unreached, lost, interrupted, quiet }) {
  results.sort((a, b) => a.target.number - b.target.number);
  const seconds = Math.round((Date.now() - started) / 1000);
  const injectable = results.filter((r) => r.result.injectable.length > 0);
  const unfinished = results.filter((r) => !r.result.finished);
  const requests = results.reduce((sum, r) => sum + r.result.requests, 0);
  const parameters = results.reduce((sum, r) => sum + r.result.tested.length, 0);
  const summary =
    `${interrupted ? 'INTERRUPTED after ' : ''}${results.length} targets, ${parameters} ` +
    `parameters, ${requests} requests in ${seconds} s: ${injectable.length} injectable, ` +
    `${unfinished.length} not finished (sqlmap ${version}, level ${level}, risk ${risk})`;
  if (!quiet) {
    console.log(`\n  #  role       meth  ${'target'.padEnd(70)}  par  requests  injectable`);
    for (const { target, result } of results) console.log(row(target, result));
    for (const { target, result } of unfinished) {
      console.log(`target ${target.number} not finished: ${result.problem} (see ${result.log})`);
    }
    for (const { target, result } of injectable) {
      for (const i of result.injectable) {
        console.log(
          `target ${target.number}: ${i.place} ${i.parameter} injectable (${i.techniques})`,
        );
      }
    }
    if (lost.length > 0) console.log(`sessions lost during the scan: ${lost.join(', ')}`);
    console.log(`\n${summary}`);
  }
  const document = {
    date: new Date().toISOString(),
    sqlmap: version,
    level,
    risk,
    database: app.database,
    seconds,
    summary,
    interrupted: Boolean(interrupted),
    crawl: { pages, routes: [...crawled].sort(), excludedLinks: [...skipped] },
    excluded: EXCLUDED,
    unreachedActions: unreached.map((p) => p.pattern),
    sessionsLost: lost,
    targets: results.map(({ target, result }) => ({
      number: target.number,
      role: target.role,
      method: target.method,
      route: target.route,
      url: String(target.action),
      fields: target.fields.map(([name]) => name),
      ...result,
    })),
  };
  writeFileSync(`${outputDir}.json`, `${JSON.stringify(document, null, 2)}\n`);
  const failed = injectable.length > 0 || unfinished.length > 0 || lost.length > 0;
  return failed || interrupted ? 1 : 0;
}

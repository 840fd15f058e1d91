// Runs sqlmap on one target through a counting proxy and reads back what it found.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ANTI_CSRF_FIELDS } from './crawl.mjs';

/** sqlmap's version, or null when it is not installed. */
export function sqlmapVersion() {
  const result = spawnSync('sqlmap', ['--version'], { encoding: 'utf8' });
  if (result.error) return null;
  return /\d+\.\d+[\w.#]*/.exec(result.stdout)?.[0] ?? result.stdout.trim();
}

/**
 * A forward proxy in front of the app, one per sqlmap run: sqlmap only reports a request count
 * when it finds something, so the proxy counts every request and tallies the answers' statuses
 * (a 5xx from an injected value is worth a look even when nothing is injectable).
 */
function countingProxy() {
  const agent = new http.Agent({ keepAlive: true });
  const tally = { requests: 0, statuses: {} };
  const server = http.createServer((req, res) => {
    tally.requests++;
    const { 'proxy-connection': _hop, ...headers } = req.headers;
    const upstream = http.request(req.url, { method: req.method, headers, agent }, (answer) => {
      const group = `${String(answer.statusCode)[0]}xx`;
      tally.statuses[group] = (tally.statuses[group] ?? 0) + 1;
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      tally.statuses.failed = (tally.statuses.failed ?? 0) + 1;
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        tally,
        close: () => {
          agent.destroy();
          return new Promise((done) => server.close(done));
        },
      }),
    ),
  );
}

/**
 * The sqlmap command line for a target. `options.headers` says whether sqlmap should test the
 * Cookie, User-Agent and Referer headers too (at level 2 and 3 it does): the session cookie is
 * read by the same code on every route, so once per role is enough (see security-scan.mjs).
 */
export function sqlmapArgs(target, { appUrl, proxyUrl, dir, level, risk, headers }) {
  const url = new URL(target.action);
  const form = new URLSearchParams(target.fields);
  if (target.method === 'GET')
    for (const [name, value] of form) url.searchParams.append(name, value);
  const skip = [
    ...ANTI_CSRF_FIELDS,
    // Remix's own marker that a form posts to an index route, not something the app reads.
    'index',
    ...(headers ? [] : ['oc_session', 'User-Agent', 'Referer']),
  ];
  // sqlmap writes its --results-file only in "multiple targets" mode: a list of one address.
  writeFileSync(path.join(dir, 'targets.txt'), `${url}\n`);
  return [
    `-m${path.join(dir, 'targets.txt')}`,
    ...(target.method === 'POST' ? [`--data=${form}`, '--method=POST'] : []),
    ...(target.cookie ? [`--cookie=${target.cookie}`] : []),
    // The app refuses a signed-in post without Origin (or the form token): send it as a browser does.
    `--headers=Origin: ${appUrl}`,
    '--batch',
    // After a POST the app redirects (Post/Redirect/Get): follow with a GET, as a browser does,
    // instead of posting the same data again to the page it redirected to.
    '--answers=resend original POST data=N',
    `--level=${level}`,
    `--risk=${risk}`,
    // The app runs on Postgres (PGlite is Postgres too): payloads for other databases would
    // only multiply the requests.
    '--dbms=PostgreSQL',
    `--skip=${skip.join(',')}`,
    ...(target.only ? [`-p${target.only.join(',')}`] : []),
    // A session cookie refused for an injected value must not replace the scan's own.
    '--drop-set-cookie',
    // A random client address per request (trusted with TRUST_PROXY_HOPS=1, see app.mjs).
    '--tamper=xforwardedfor',
    // Bounded: a request the app does not answer within 20 s is retried once, then given up.
    '--timeout=20',
    '--retries=1',
    `--proxy=${proxyUrl}`,
    `--output-dir=${path.join(dir, 'sqlmap')}`,
    `--results-file=${path.join(dir, 'results.csv')}`,
    '--flush-session',
    '--disable-coloring',
  ];
}

/** The sqlmap processes running now, to end with the scan when it is interrupted. */
export const running = new Set();

/** Runs sqlmap on one target; resolves with what it tested, sent and found. */
export async function scanTarget(target, options) {
  const dir = path.resolve(options.outputDir, 'targets', String(target.number));
  mkdirSync(dir, { recursive: true });
  const proxy = await countingProxy();
  const args = sqlmapArgs(target, { ...options, proxyUrl: proxy.url, dir });
  const started = Date.now();
  const log = await new Promise((resolve) => {
    const child = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.once('close', () => {
      running.delete(child);
      resolve(text);
    });
  });
  await proxy.close();
  writeFileSync(path.join(dir, 'sqlmap.log'), `sqlmap ${args.join(' ')}\n\n${log}`);
  return {
    ...readLog(log, path.join(dir, 'results.csv')),
    requests: proxy.tally.requests,
    statuses: proxy.tally.statuses,
    seconds: Math.round((Date.now() - started) / 1000),
    log: path.relative(process.cwd(), path.join(dir, 'sqlmap.log')),
  };
}

/**
 * What sqlmap's log and results file say: the parameters it tested, the injectable ones (its
 * --results-file CSV has a row per injection point), and whether it finished: a clean run ends
 * with "all tested parameters do not appear to be injectable".
 */
export function readLog(log, resultsFile) {
  const tested = new Set();
  for (const match of log.matchAll(
    /testing for SQL injection on (?:(\S+) )?parameter '([^']+)'/g,
  )) {
    tested.add(match[1] ? `${match[1]} ${match[2]}` : match[2]);
  }
  let rows = [];
  try {
    rows = readFileSync(resultsFile, 'utf8').trim().split('\n').slice(1).filter(Boolean);
  } catch {
    // No file: sqlmap writes it only once it has a target.
  }
  // Read from the right: the first column, the address, may be quoted and hold commas. The CSV
  // lists what sqlmap then judged a false positive too, with that in the notes column.
  const injectable = rows
    .map((row) => {
      const [place, parameter, techniques, notes] = row.trim().split(',').slice(-4);
      return { place, parameter, techniques, notes };
    })
    .filter((row) => !/false positive/.test(row.notes));
  const finished =
    injectable.length > 0 || log.includes('all tested parameters do not appear to be injectable');
  const problem = finished
    ? null
    : ([...log.matchAll(/\[(?:CRITICAL|ERROR)\] (.*)/g)].at(-1)?.[1] ?? 'sqlmap stopped early');
  return { tested: [...tested], injectable, finished, problem };
}

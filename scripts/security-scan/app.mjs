// Starts the built app for the scan on a database of its own, and talks to it like a browser.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * The database the scanned server uses: a fresh PGlite folder in a temporary directory, or,
 * when DATABASE_URL is set, a throwaway database created beside the one it names and dropped
 * afterwards (the scan writes thousands of rows; the named database is never touched).
 */
async function scratchDatabase() {
  if (!process.env.DATABASE_URL) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'oc-scan-'));
    return {
      env: { PGLITE_DIR: path.join(dir, 'pglite') },
      label: 'PGlite (temporary folder)',
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = new URL(process.env.DATABASE_URL);
  const name = `oc_scan_${randomBytes(4).toString('hex')}`;
  const run = async (statement) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    label: `Postgres, throwaway database ${name}`,
    drop: () => run(`drop database if exists ${name} with (force)`),
  };
}

/** Starts `node server.js` with the demo seed; resolves once it prints its address. */
export async function startApp() {
  const database = await scratchDatabase();
  const { DATABASE_URL: _named, ...parentEnv } = process.env;
  const child = spawn(process.execPath, ['server.js'], {
    env: {
      ...parentEnv,
      ...database.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO: 'true',
      // A small sample keeps the seed at about a second; the pages are the same with 3,000.
      SEED_RESPONSES: '400',
      // Development keeps mail in the outbox (no SMTP needed) and /dev/outbox is scanned too.
      NODE_ENV: 'development',
      // sqlmap's xforwardedfor tamper gives every request a random client address, so the
      // per-address limits (sign-in failures, sign-ups) do not turn most of the scan into a
      // scan of the "too many attempts" page. The app trusts the header only with this set.
      TRUST_PROXY_HOPS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = /running at http:\/\/localhost:(\d+)/.exec(output);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    database: database.label,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await database.drop();
    },
  };
}

/** A browser-like client: keeps its session cookie and sends Origin, as the app expects. */
export class Session {
  cookie = undefined;

  constructor(baseUrl, role) {
    this.baseUrl = baseUrl;
    this.role = role;
  }

  async request(method, target, form) {
    const headers = { Origin: this.baseUrl };
    if (this.cookie) headers.Cookie = this.cookie;
    if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(new URL(target, this.baseUrl), {
      method,
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const set = response.headers.getSetCookie().find((c) => c.startsWith('oc_session='));
    if (set) {
      const pair = set.split(';')[0];
      this.cookie = pair === 'oc_session=' ? undefined : pair;
    }
    return response;
  }

  async signIn(email, password) {
    const response = await this.request('POST', '/login', { email, password, redirectTo: '/' });
    if (response.status !== 302 || !this.cookie) {
      throw new Error(`could not sign in as ${email} (status ${response.status})`);
    }
  }

  /** Whether the session still works: a signed-in page answers instead of sending to /login. */
  async stillSignedIn() {
    if (!this.cookie) return false;
    const response = await this.request('GET', '/account/profile');
    return response.status === 200;
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TestServer = {
  url: string;
  stop: () => Promise<void>;
  output: () => string;
  /** The server process, for tests that signal it themselves. */
  pid: number;
  /** Resolves with the exit code once the process has exited (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Sends a signal (SIGTERM to drain, SIGKILL to crash it) without waiting. */
  kill: (signal: NodeJS.Signals) => void;
  /** Null while the process runs; then its exit code, or the signal that ended it. */
  exitStatus: () => number | NodeJS.Signals | null;
};

/** How long `stop()` waits for a SIGTERM to end the server before it sends SIGKILL. */
const STOP_TIMEOUT_MS = 20_000;

/**
 * Starts the built server (npm run build first) on a free port with a fresh PGlite folder and
 * the demo seed, and resolves once it prints its address.
 */
export const E2E_DEFAULT_ENV = {
  NODE_ENV: 'development',
  SEED_DEMO: 'true',
  // Enough sample responses for every segment to pass small-cell suppression, seeded in about
  // a second; the development default (3,000) takes about 6 s on PGlite.
  SEED_RESPONSES: '400',
} as const;

export type StartOptions = {
  /**
   * Runs on the new PGlite folder before the server opens it (see fixtures.ts), after the
   * template, if any, was copied in.
   */
  prepare?: (pgliteDir: string) => Promise<void>;
  /** A prepared PGlite folder to copy instead of the seeded demo's (E2E_PGLITE_TEMPLATE). */
  template?: string;
};

/** A server with no demo data: the database is migrated, and the test makes what it needs. */
export const E2E_EMPTY_ENV = { NODE_ENV: 'development', SEED_DEMO: 'false' } as const;

export async function startServer(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'oc-e2e-'));
  // The server runs on PGlite unless the test hands it a DATABASE_URL itself.
  const {
    DATABASE_URL: _inherited,
    E2E_PGLITE_TEMPLATE: demoTemplate,
    E2E_EMPTY_PGLITE_TEMPLATE: emptyTemplate,
    ...parentEnv
  } = process.env;
  const pgliteDir = path.join(dataDir, 'pglite');
  const childEnv: NodeJS.ProcessEnv = {
    ...parentEnv,
    PORT: '0',
    HOST: '127.0.0.1',
    PGLITE_DIR: pgliteDir,
    ...E2E_DEFAULT_ENV,
    ...env,
  };
  // The default demo, already migrated and seeded once for the run (see e2e-setup.ts).
  const defaultDemo = (Object.keys(E2E_DEFAULT_ENV) as (keyof typeof E2E_DEFAULT_ENV)[]).every(
    (key) => childEnv[key] === E2E_DEFAULT_ENV[key],
  );
  // Without the demo, the migrated empty template: the server then only checks its migrations.
  const template =
    options.template ??
    (defaultDemo ? demoTemplate : childEnv.SEED_DEMO === 'false' ? emptyTemplate : undefined);
  if (template && !childEnv.DATABASE_URL) cpSync(template, pgliteDir, { recursive: true });
  try {
    await options.prepare?.(pgliteDir);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const child: ChildProcess = spawn(process.execPath, ['server.js'], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const exitStatus = () => child.exitCode ?? child.signalCode;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    pid: child.pid!,
    exited,
    kill: (signal) => child.kill(signal),
    exitStatus,
    async stop() {
      if (exitStatus() === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

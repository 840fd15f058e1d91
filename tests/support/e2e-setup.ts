import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { E2E_DEFAULT_ENV, E2E_EMPTY_ENV } from './server';

/**
 * Migrating and seeding a fresh PGlite folder is most of a test server's start-up (about 10 s on
 * a busy 2-core machine, against 2–3 s to open a seeded one). So it is done once per run, with the
 * built server's own start-up, and each server that wants the default demo gets a copy. Tests
 * that make their own data (fixtures.ts) get a copy of the folder as it was after migrating,
 * before the demo was seeded into it: the second template costs one folder copy and one opening.
 */
export default async function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oc-e2e-template-'));
  const empty = path.join(dir, 'pglite-empty');
  const seeded = path.join(dir, 'pglite');
  try {
    await prepareTemplate(empty, E2E_EMPTY_ENV);
    cpSync(empty, seeded, { recursive: true });
    await prepareTemplate(seeded, E2E_DEFAULT_ENV);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  process.env.E2E_PGLITE_TEMPLATE = seeded;
  process.env.E2E_EMPTY_PGLITE_TEMPLATE = empty;
  return () => rmSync(dir, { recursive: true, force: true });
}

/** Runs the built server's start-up (migrate, and seed if `env` says so) on `dataDir`. */
function prepareTemplate(dataDir: string, env: Record<string, string>) {
  const script = `
    const build = await import(${JSON.stringify(path.resolve('build/server/index.js'))});
    await build.entry.module.startup();
    await build.entry.module.shutdown();
    process.exit(0);
  `;
  const { DATABASE_URL: _inherited, ...parentEnv } = process.env;
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...parentEnv, ...env, PGLITE_DIR: dataDir },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 180_000,
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(dataDir);
      else {
        reject(
          new Error(
            `Could not prepare the e2e database at ${dataDir} (run npm run build first):\n${stderr}`,
          ),
        );
      }
    });
  });
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { E2E_DEFAULT_ENV } from './server';

/**
 * Migrating and seeding a fresh PGlite folder is most of a test server's start-up (about 10 s on
 * a busy 2-core machine, against 2–3 s to open a seeded one). So it is done once per run, with the
 * built server's own start-up, and each server that wants the default demo gets a copy.
 */
export default function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oc-e2e-template-'));
  const dataDir = path.join(dir, 'pglite');
  const script = `
    const build = await import(${JSON.stringify(path.resolve('build/server/index.js'))});
    await build.entry.module.startup();
    await build.entry.module.shutdown();
    process.exit(0);
  `;
  const { DATABASE_URL: _inherited, ...parentEnv } = process.env;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...parentEnv, ...E2E_DEFAULT_ENV, PGLITE_DIR: dataDir },
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `Could not prepare the seeded e2e database (run npm run build first):\n${result.stderr}`,
    );
  }
  process.env.E2E_PGLITE_TEMPLATE = dataDir;
  return () => rmSync(dir, { recursive: true, force: true });
}

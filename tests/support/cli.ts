import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, inject } from 'vitest';

// The npm commands an operator runs (db/*-cli.ts), run as they are run: a process of their own
// against a PGlite folder of the test file's own, never the developer's DATABASE_URL.

export function cliFolder(name: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `oc-${name}-`));
  const dataDir = path.join(dir, 'pglite');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  return {
    dataDir,
    /** Runs `script` with `args`; a hung command fails after two minutes instead of waiting. */
    run(script: string, ...args: string[]) {
      const { DATABASE_URL: _ignored, ...env } = process.env;
      const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
        env: { ...env, PGLITE_DIR: dataDir, SEED_DEMO: 'false' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      return {
        status: result.status,
        stdout: result.stdout,
        output: `${result.stdout}${result.stderr}`,
      };
    },
    /**
     * Starts the folder from the migrated template (global-setup.ts), so the command's own
     * migrate-at-start finds nothing to do: migrating a fresh folder in the command takes
     * about 12 s more. Without a PGlite template (DB_BACKENDS=pg) the command migrates.
     */
    async restoreMigrated() {
      const template = inject('pgliteTemplatePath');
      if (!template) return;
      const pglite = await PGlite.create({
        dataDir,
        loadDataDir: new Blob([readFileSync(template)]),
      });
      await pglite.close();
    },
  };
}

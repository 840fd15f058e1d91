import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  '~': fileURLToPath(new URL('./app', import.meta.url)),
  '#db': fileURLToPath(new URL('./db', import.meta.url)),
  '#tests': fileURLToPath(new URL('./tests', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // Vitest's default on 2 cores is one worker; unit and integration share a group, so
          // they must agree on the count (see the e2e project).
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          // Two files at a time: unit and integration took 107 s instead of about 180 s.
          maxWorkers: 2,
          include: ['tests/integration/**/*.int.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          globalSetup: ['tests/support/e2e-setup.ts'],
          // Long journeys (twenty pages, axe on each) take 30–50 s on an idle 2-core machine.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two files at once (each its own server and browser): about 1.2× faster on 2 cores
          // than one at a time, as part of each journey waits on the server or the browser.
          maxWorkers: 2,
          // A different worker count needs a group of its own: the e2e files start after the
          // unit and integration files are done.
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'security',
          // The attack suite (tests/security/README.md): each file starts the built app and
          // attacks it over HTTP or in Chromium. SECURITY=full runs every corpus entry on every
          // field; the short run in npm test takes a sample of each.
          include: ['tests/security/**/*.security.test.ts'],
          globalSetup: ['tests/support/e2e-setup.ts'],
          testTimeout: process.env.SECURITY === 'full' ? 900_000 : 120_000,
          hookTimeout: 120_000,
          // Runs beside the e2e files, so it takes their worker count and group.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.fault.test.ts'],
          // The short run takes well under 90 s in all; FAULTS=full runs hundreds of writes per fault.
          testTimeout: process.env.FAULTS === 'full' ? 600_000 : 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

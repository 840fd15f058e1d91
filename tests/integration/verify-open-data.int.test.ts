import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '#db/seed';
import { demoConsultation } from '#db/seed-content';
import { sampleConsultation } from '#db/seed-sample-content';
import { getOpenData } from '~/.server/open-data';
import { getPublicResultsOverview } from '~/.server/results-views';
import { parseCsv } from '~/lib/open-data/csv';
import { verifyAggregates } from '~/lib/open-data/verify';
import { cliFolder } from '#tests/support/cli';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';

const cli = cliFolder('verify-open-data');
const VERIFY = 'db/verify-open-data-cli.ts';
const execFileAsync = promisify(execFile);

async function download(db: TestDb['db'], slug: string, folder: string) {
  const { files } = await getOpenData(db, null, slug);
  mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(path.join(folder, file.name), file.body);
  return files;
}

/** Adds one to a count in a file's first row where it is shown and above 0. */
function changeCell(folder: string, column: string, name = 'aggregates.csv') {
  const file = path.join(folder, name);
  const text = readFileSync(file, 'utf8');
  const [header, ...lines] = text.split('\r\n');
  const index = header!.replace('\uFEFF', '').split(',').indexOf(column);
  const row = parseCsv(text).findIndex((r) => r.suppressed !== 'true' && Number(r[column]) > 0);
  const cells = lines[row]!.split(',');
  // Titles before the column may hold commas; count from the end, where none are quoted.
  const fromEnd = header!.split(',').length - index;
  cells[cells.length - fromEnd] = String(Number(cells[cells.length - fromEnd]) + 1);
  lines[row] = cells.join(',');
  writeFileSync(file, [header, ...lines].join('\r\n'));
}

for (const backend of BACKENDS) {
  describe(`${backend}: the open data reproduces every published figure`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(backend);
      await seedDemo(t.db, { sampleResponses: 300 });
      // The demo's results wait for its close; make them public to download them today.
      await t.db
        .updateTable('consultations')
        .set({ results_visibility: 'during' })
        .where('slug', '=', demoConsultation.slug)
        .execute();
    });
    afterAll(() => t?.destroy());

    test('the verify command finds every figure of the demo matching, and the pages show the same', async () => {
      for (const slug of [demoConsultation.slug, sampleConsultation.slug]) {
        const folder = path.join(cli.dataDir, '..', `${backend}-${slug}`);
        const files = await download(t.db, slug, folder);
        const run = cli.run(VERIFY, folder);
        expect(run.output).toMatch(/Checked \d+ figures in \d+ rows: every figure matches\./);
        expect(run.status).toBe(0);
        const zip = cli.run(VERIFY, path.join(folder, 'open-data.zip'));
        expect(zip.output).toContain('every figure matches');

        // The overview page's net support is the everyone row of the same recommendation.
        const json = JSON.parse(
          new TextDecoder().decode(files.find((f) => f.name === 'aggregates.json')!.body),
        ) as { rows: Record<string, unknown>[] };
        for (const verifiedOnly of [false, true]) {
          const page = await getPublicResultsOverview(t.db, null, slug, {
            sort: 'number',
            dir: 'asc',
            verifiedOnly,
          });
          expect(page.results.rows.length).toBeGreaterThan(0);
          for (const row of page.results.rows) {
            const data = json.rows.find(
              (r) =>
                r.recommendation_number === row.number &&
                r.group === 'all' &&
                r.verified_only === verifiedOnly,
            )!;
            expect(data.answers).toBe(row.answers);
            expect(data.net_support).toBe(row.net?.value ?? null);
            expect(data.net_support_low).toBe(row.net?.low ?? null);
            expect(data.importance_mean).toBe(row.importance?.mean ?? null);
            expect(data.endorsements).toBe(row.endorsements);
          }
        }
      }
    });

    test('one changed count makes the verify command fail and name the figures it breaks', async () => {
      const folder = path.join(cli.dataDir, '..', `${backend}-changed`);
      await download(t.db, demoConsultation.slug, folder);
      changeCell(folder, 'support');
      const run = cli.run(VERIFY, folder);
      expect(run.status).toBe(1);
      expect(run.output).toMatch(/support_share is [\d.]+, recomputed [\d.]+/);
      expect(run.output).toMatch(/aggregates\.csv: SHA-256 in manifest\.json/);
      expect(run.output).not.toContain('every figure matches');
    });

    test('one changed point of the trend makes the verify command fail too', async () => {
      const folder = path.join(cli.dataDir, '..', `${backend}-changed-trend`);
      await download(t.db, demoConsultation.slug, folder);
      changeCell(folder, 'oppose', 'trend.csv');
      const run = cli.run(VERIFY, folder);
      expect(run.status).toBe(1);
      expect(run.output).toMatch(/trend of recommendation \d+, everyone, [\d-]+: net_support is/);
    });

    test('the verify command reads the files from the site by address too', async () => {
      const folder = path.join(cli.dataDir, '..', `${backend}-served`);
      await download(t.db, sampleConsultation.slug, folder);
      const server = createServer((request, response) => {
        const name = path.basename(request.url ?? '');
        try {
          response.end(readFileSync(path.join(folder, name)));
        } catch {
          response.statusCode = 404;
          response.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const url = `http://127.0.0.1:${port}/consultations/${sampleConsultation.slug}/data`;
        // Run without blocking this process, which is serving the files.
        const run = await execFileAsync(process.execPath, ['--import', 'tsx', VERIFY, url], {
          timeout: 120_000,
        });
        expect(run.stdout).toContain('every figure matches');
      } finally {
        server.close();
      }
    });
  });
}

test('a shown group of fewer than 5, or a suppressed group with a count, is a difference', () => {
  const header =
    'recommendation_number,group,verified_only,suppressed,answers,strongly_support,support,neutral,oppose,strongly_oppose,no_view';
  const csv = `${header}\r\n1,other,false,false,3,0,3,0,0,0,0\r\n1,founder,false,true,,,2,,,,\r\n`;
  const rows = [
    { recommendation_number: 1, group: 'other', verified_only: false, suppressed: false },
    { recommendation_number: 1, group: 'founder', verified_only: false, suppressed: true },
  ];
  const result = verifyAggregates(csv, { rows });
  expect(result.differences.map((d) => `${d.row}: ${d.figure}`)).toEqual(
    expect.arrayContaining([
      'recommendation 1, other, everyone: answers',
      'recommendation 1, founder, everyone: support',
    ]),
  );
});

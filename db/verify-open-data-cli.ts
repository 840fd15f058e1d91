// `npm run verify-open-data -- <folder | open-data.zip | https://…/consultations/<slug>/data>`
// reads a consultation's open data, works out every figure of the results pages again from
// aggregates.csv and trend.csv and compares it with the published figures
// (app/lib/open-data/verify*.ts). It checks each file against manifest.json's SHA-256 as well. Prints "every figure matches", or
// each difference and exits 1. Needs no database: only the files.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { parseCsv } from '~/lib/open-data/csv';
import { verifyAggregates, type Difference } from '~/lib/open-data/verify';
import { verifyTrend } from '~/lib/open-data/verify-trend';

const USAGE =
  'Usage: npm run verify-open-data -- <folder | open-data.zip | https://…/consultations/<slug>/data>';

type Source = (name: string) => Promise<Uint8Array | null>;

function fromUrl(base: string): Source {
  const root = base.replace(/\/+$/, '');
  return async (name) => {
    const response = await fetch(`${root}/${name}`);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${root}/${name} answered ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

function fromFolder(folder: string): Source {
  return async (name) => {
    try {
      return new Uint8Array(await readFile(path.join(folder, name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
}

async function fromZip(file: string): Promise<Source> {
  const entries = unzipSync(new Uint8Array(await readFile(file)));
  return async (name) => entries[name] ?? null;
}

const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

async function required(source: Source, name: string) {
  const bytes = await source(name);
  if (!bytes) throw new Error(`${name} is missing.`);
  return bytes;
}

/** Each file the manifest lists must have the bytes and SHA-256 it gives. */
async function checkManifest(source: Source): Promise<Difference[]> {
  const manifest = await source('manifest.json');
  if (!manifest) return [];
  const { files } = JSON.parse(utf8(manifest)) as {
    files: { name: string; bytes: number; sha256: string }[];
  };
  const differences: Difference[] = [];
  for (const listed of files) {
    const bytes = await source(listed.name);
    const sha256 = bytes ? createHash('sha256').update(bytes).digest('hex') : '(missing)';
    if (sha256 !== listed.sha256) {
      differences.push({
        row: listed.name,
        figure: 'SHA-256 in manifest.json',
        published: listed.sha256,
        recomputed: sha256,
      });
    }
  }
  return differences;
}

async function main() {
  const [target, ...extra] = process.argv.slice(2);
  if (!target || extra.length) throw new Error(USAGE);
  if (!/^https?:\/\//.test(target) && !existsSync(target)) {
    throw new Error(`There is no folder or file at ${target}. ${USAGE}`);
  }
  const source = /^https?:\/\//.test(target)
    ? fromUrl(target)
    : target.endsWith('.zip')
      ? await fromZip(target)
      : fromFolder(target);
  const csv = utf8(await required(source, 'aggregates.csv'));
  const json = JSON.parse(utf8(await required(source, 'aggregates.json')));
  const aggregates = verifyAggregates(csv, json);
  const trendCsv = await source('trend.csv');
  const trend = trendCsv
    ? verifyTrend(
        utf8(trendCsv),
        JSON.parse(utf8(await required(source, 'trend.json'))),
        parseCsv(csv),
      )
    : { rows: 0, figures: 0, differences: [] };
  const result = {
    rows: aggregates.rows + trend.rows,
    figures: aggregates.figures + trend.figures,
  };
  const differences = [
    ...(await checkManifest(source)),
    ...aggregates.differences,
    ...trend.differences,
  ];
  if (differences.length === 0) {
    console.log(`Checked ${result.figures} figures in ${result.rows} rows: every figure matches.`);
    return;
  }
  for (const d of differences) {
    console.log(`${d.row}: ${d.figure} is ${d.published}, recomputed ${d.recomputed}`);
  }
  console.log(`${differences.length} ${differences.length === 1 ? 'difference' : 'differences'}.`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});

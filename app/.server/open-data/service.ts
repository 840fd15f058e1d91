import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import {
  AGGREGATE_COLUMNS,
  LICENCE,
  RESPONSE_COLUMNS,
  TREND_COLUMNS,
  type OpenDataFile,
} from '~/lib/open-data/files';
import type { Viewer } from '../auth';
import { csvChunks, jsonChunks, type Row } from '../exports';
import { getPublicResultsCounts } from '../results-views';
import { aggregateRows } from './aggregates';
import { readme } from './method';
import { importanceCounts, publishedAnswers } from './queries';
import { responseRows } from './responses';
import { trendRows } from './trend';

// The whole package is built on each request from the rollups and the published answers: the
// files are small (one row per recommendation × group × view, and per published answer) and
// built without timestamps, so the same results give byte-identical files and hashes.

export type OpenDataEntry = {
  name: OpenDataFile;
  format: string;
  contentType: string;
  bytes: number;
  sha256: string;
  body: Uint8Array;
};

const FORMATS: Record<OpenDataFile, { format: string; contentType: string }> = {
  'aggregates.csv': { format: 'CSV', contentType: 'text/csv; charset=utf-8' },
  'aggregates.json': { format: 'JSON', contentType: 'application/json; charset=utf-8' },
  'trend.csv': { format: 'CSV', contentType: 'text/csv; charset=utf-8' },
  'trend.json': { format: 'JSON', contentType: 'application/json; charset=utf-8' },
  'responses.csv': { format: 'CSV', contentType: 'text/csv; charset=utf-8' },
  'responses.json': { format: 'JSON', contentType: 'application/json; charset=utf-8' },
  'README.md': { format: 'Markdown', contentType: 'text/markdown; charset=utf-8' },
  'manifest.json': { format: 'JSON', contentType: 'application/json; charset=utf-8' },
  'open-data.zip': { format: 'ZIP', contentType: 'application/zip' },
};

// A fixed time in the zip's entries keeps the archive's bytes the same from one request to the next.
const ZIP_TIME = new Date('2026-01-01T00:00:00Z');

async function text(chunks: AsyncIterable<string>) {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

async function* once(rows: Row[]) {
  yield rows;
}

function entry(name: OpenDataFile, body: Uint8Array | string): OpenDataEntry {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return {
    name,
    ...FORMATS[name],
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    body: bytes,
  };
}

/**
 * Anyone, once the results are public (organisers: any time, as a preview); 404 for an unknown
 * or draft consultation, 403 saying when otherwise: every file of the open data package.
 */
export async function getOpenData(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const { consultation, all, verified } = await getPublicResultsCounts(db, viewer, slug);
  const id = all.consultation.id;
  const aggregates = aggregateRows(all, verified, await importanceCounts(db, id));
  const responses = responseRows(await publishedAnswers(db, id), all.recommendations);
  const about = {
    consultation: { slug: consultation.slug, title: consultation.title },
    licence: LICENCE,
  };
  const columns = {
    aggregates: [...AGGREGATE_COLUMNS] as string[],
    trend: [...TREND_COLUMNS] as string[],
    responses: [...RESPONSE_COLUMNS] as string[],
  };
  const trend = trendRows(all, verified);
  const files = [
    entry('aggregates.csv', await text(csvChunks(columns.aggregates, once(aggregates)))),
    entry('aggregates.json', await text(jsonChunks(about, columns.aggregates, once(aggregates)))),
    entry('trend.csv', await text(csvChunks(columns.trend, once(trend)))),
    entry('trend.json', await text(jsonChunks(about, columns.trend, once(trend)))),
    entry('responses.csv', await text(csvChunks(columns.responses, once(responses)))),
    entry('responses.json', await text(jsonChunks(about, columns.responses, once(responses)))),
    entry('README.md', readme(consultation, aggregates)),
  ];
  const manifest = {
    ...about,
    files: files.map((f) => ({ name: f.name, format: f.format, bytes: f.bytes, sha256: f.sha256 })),
  };
  files.push(entry('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`));
  const zip = zipSync(
    Object.fromEntries(files.map((f) => [f.name, [f.body, { mtime: ZIP_TIME }]])),
    { level: 6 },
  );
  files.push(entry('open-data.zip', zip));
  return { consultation, files };
}

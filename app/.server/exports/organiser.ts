import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import {
  EXPORT_DATASET_INFO,
  EXPORT_DATASETS,
  EXPORT_FORMATS,
  exportFileName,
  type ExportFile,
} from '~/lib/schemas/exports';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import { requireOrganisedConsultation } from '../auth/permissions';
import { datasetReader, type ExportSource, type Row } from './datasets';
import { csvChunks, jsonChunks } from './encode';
import * as q from './queries';

// Organisers' downloads of everything their consultation holds, every publishing choice
// included (what the organiser's own response pages show), streamed a batch at a time and
// audited: each download is an event in the consultation's log, written before the first byte.

export const EXPORT_BATCH_SIZE = 500;

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;

async function organisedSource(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const consultation = await requireOrganisedConsultation(
    db,
    viewer,
    slug,
    'Only organisers of this consultation can download its data.',
  );
  return {
    consultation: { id: consultation.id, slug: consultation.slug, title: consultation.title },
    recommendations: await q.listRecommendations(db, consultation.id),
  } satisfies ExportSource;
}

/** The downloads page: what there is, with how many rows each file has now. */
export async function listOrganiserExports(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const source = await organisedSource(db, viewer, slug);
  // Six counts, one per file, run side by side rather than one after another.
  const datasets = await Promise.all(
    EXPORT_DATASETS.map(async (dataset) => ({
      dataset,
      ...EXPORT_DATASET_INFO[dataset],
      rows: await datasetReader(dataset, source).count(db, source),
      files: EXPORT_FORMATS.map((format) => ({ format, name: `${dataset}.${format}` })),
    })),
  );
  return { consultation: source.consultation, datasets };
}

type OpenOptions = {
  /** Who is downloading, for the audit log: the viewer, or the command line (null). */
  requestId?: string | null;
  via: 'web' | 'command line';
  batchSize?: number;
  /** Hears each batch as it is written (the command line's progress bar). */
  onBatch?: (rows: Row[]) => void;
};

/**
 * Opens one download: checks the viewer organises the consultation, records the download and
 * returns the file's name, type and a stream of its bytes. Pass `viewer` null only from the
 * command line, which has the database's own access.
 */
export async function openOrganiserExport(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  file: ExportFile,
  options: OpenOptions,
) {
  const source =
    options.via === 'command line'
      ? await commandLineSource(db, slug)
      : await organisedSource(db, viewer, slug);
  const reader = datasetReader(file.dataset, source);
  await recordAudit(db, {
    actorId: viewer?.id ?? null,
    action: 'consultation.data_exported',
    targetType: 'consultation',
    targetId: source.consultation.id,
    consultationId: source.consultation.id,
    after: { file: `${file.dataset}.${file.format}`, via: options.via },
    requestId: options.requestId ?? null,
  });
  const batches = observed(
    reader.batches(db, source, options.batchSize ?? EXPORT_BATCH_SIZE),
    options.onBatch,
  );
  const chunks =
    file.format === 'csv'
      ? csvChunks(reader.columns, batches)
      : jsonChunks(
          {
            consultation: { slug: source.consultation.slug, title: source.consultation.title },
            dataset: file.dataset,
            exportedAt: new Date().toISOString(),
          },
          reader.columns,
          batches,
        );
  return {
    filename: exportFileName(source.consultation.slug, file),
    contentType: CONTENT_TYPES[file.format],
    consultationId: source.consultation.id,
    /** How many rows the file will have, counted as it opens. */
    rows: () => reader.count(db, source),
    stream: Readable.from(chunks, { objectMode: false }),
  };
}

async function commandLineSource(db: Kysely<DB>, slug: string): Promise<ExportSource> {
  const consultation = await db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!consultation) throw new Error(`No consultation has the slug "${slug}".`);
  return { consultation, recommendations: await q.listRecommendations(db, consultation.id) };
}

async function* observed(batches: AsyncIterable<Row[]>, onBatch?: (rows: Row[]) => void) {
  for await (const rows of batches) {
    onBatch?.(rows);
    yield rows;
  }
}

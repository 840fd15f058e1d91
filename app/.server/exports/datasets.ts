import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { ExportDataset } from '~/lib/schemas/exports';
import type { CommentStatus, QuoteStatus } from '~/lib/enums';
import { AUDIT_CSV_COLUMNS, auditCsvRow, auditEventBatches } from '../audit-log';
import type { Keyset } from '../keyset';
import * as q from './queries';

// Each organiser download as a list of columns and the rows under them, read a batch at a time.
// Column names use the words the pages use (README glossary): group, publishing choice, held.

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export type ExportSource = {
  consultation: { id: string; slug: string; title: string };
  recommendations: { id: string; number: number; slug: string; title: string }[];
};

export type DatasetReader = {
  columns: string[];
  /** How many rows the file will have (for the downloads page and the progress bar). */
  count(db: Kysely<DB>, source: ExportSource): Promise<number>;
  /** The rows, a batch at a time. */
  batches(db: Kysely<DB>, source: ExportSource, batchSize: number): AsyncIterable<Row[]>;
};

/** Walks a keyset-ordered table from the start, one batch per query. */
async function* keysetBatches<R extends { id: string; keyset_at: string }>(
  read: (after: Keyset | undefined, limit: number) => Promise<R[]>,
  batchSize: number,
) {
  let after: Keyset | undefined;
  for (;;) {
    const rows = await read(after, batchSize);
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.keyset_at, id: last.id };
  }
}

const time = (value: Date | null) => (value ? value.toISOString() : null);

/** Stored words for what the pages call them. */
const REASONS_STATUS: Record<QuoteStatus, string> = {
  published: 'published',
  pending: 'held',
  hidden: 'hidden',
};
const COMMENT_STATUS: Record<CommentStatus, string> = {
  visible: 'published',
  held: 'held',
  hidden: 'hidden',
  deleted: 'deleted by author',
};

const RESPONSE_COLUMNS = [
  'reference',
  'version',
  'publishing_choice',
  'name',
  'organisation',
  'group',
  'group_described_as',
  'organisation_stage',
  'region',
  'verified_when_submitted',
  'first_submitted_at',
  'last_submitted_at',
];

type ResponseRow = Awaited<ReturnType<typeof q.submittedResponsesPage>>[number];
type AnswerRow = Awaited<ReturnType<typeof q.answersOf>>[number];

function responseCells(r: ResponseRow): Row {
  return {
    reference: r.reference,
    version: r.current_version,
    publishing_choice: r.consent === 'private' ? 'not published' : r.consent,
    name: r.display_name,
    organisation: r.organisation,
    group: r.segment,
    group_described_as: r.segment_other,
    organisation_stage: r.organisation_stage,
    region: r.region,
    verified_when_submitted: r.verified,
    first_submitted_at: time(r.first_submitted_at),
    last_submitted_at: time(r.last_submitted_at),
  };
}

function answerCells(a: AnswerRow | undefined) {
  return {
    stance: a?.stance ?? null,
    importance: a?.importance ?? null,
    reasons: a?.reasons ?? null,
    what_would_change_their_mind: a?.change_mind ?? null,
    reasons_status: a && a.reasons ? REASONS_STATUS[a.quote_status] : null,
  };
}

/** Each batch of submitted responses with the answers they hold, two queries a batch. */
async function* responseBatches(db: Kysely<DB>, source: ExportSource, batchSize: number) {
  const id = source.consultation.id;
  for await (const responses of keysetBatches(
    (after, limit) => q.submittedResponsesPage(db, id, after, limit),
    batchSize,
  )) {
    const answers = await q.answersOf(
      db,
      id,
      responses.map((r) => r.id),
    );
    const byResponse = new Map<string, Map<string, AnswerRow>>();
    for (const a of answers) {
      let own = byResponse.get(a.response_id);
      if (!own) byResponse.set(a.response_id, (own = new Map()));
      own.set(a.recommendation_id, a);
    }
    yield responses.map((r) => ({ response: r, answers: byResponse.get(r.id) ?? new Map() }));
  }
}

const responsesLong: DatasetReader = {
  columns: [
    ...RESPONSE_COLUMNS,
    'recommendation_number',
    'recommendation_slug',
    'stance',
    'importance',
    'reasons',
    'what_would_change_their_mind',
    'reasons_status',
  ],
  count: (db, source) => q.countAnswersOfSubmitted(db, source.consultation.id),
  async *batches(db, source, batchSize) {
    for await (const batch of responseBatches(db, source, batchSize)) {
      const rows: Row[] = [];
      for (const { response, answers } of batch) {
        // One row per recommendation the response answered; skipped ones have no row.
        for (const r of source.recommendations) {
          const answer = answers.get(r.id);
          if (!answer) continue;
          rows.push({
            ...responseCells(response),
            recommendation_number: r.number,
            recommendation_slug: r.slug,
            ...answerCells(answer),
          });
        }
      }
      yield rows;
    }
  },
};

function wideColumns(source: ExportSource) {
  return source.recommendations.flatMap((r) =>
    Object.keys(answerCells(undefined)).map((part) => `r${r.number}_${part}`),
  );
}

const responsesWide = (source: ExportSource): DatasetReader => ({
  columns: [...RESPONSE_COLUMNS, 'overall_comments', ...wideColumns(source)],
  count: (db, src) => q.countSubmittedResponses(db, src.consultation.id),
  async *batches(db, src, batchSize) {
    for await (const batch of responseBatches(db, src, batchSize)) {
      yield batch.map(({ response, answers }) => {
        const row: Row = {
          ...responseCells(response),
          overall_comments: response.submitted_overall_comments,
        };
        for (const r of src.recommendations) {
          for (const [part, value] of Object.entries(answerCells(answers.get(r.id)))) {
            row[`r${r.number}_${part}`] = value;
          }
        }
        return row;
      });
    }
  },
});

function numberOf(source: ExportSource): NumberOf {
  const numbers = new Map(source.recommendations.map((r) => [r.id, r.number]));
  return (id: string | null) => (id ? (numbers.get(id) ?? null) : null);
}

type NumberOf = (recommendationId: string | null) => number | null;

/**
 * A table read oldest first, one row per row: `cells` names each column and how to read it,
 * in column order.
 */
function tableReader<R extends { id: string; keyset_at: string }>(
  table: 'comments' | 'endorsements' | 'moderation_decisions',
  page: (
    db: Kysely<DB>,
    consultationId: string,
    after: Keyset | undefined,
    limit: number,
  ) => Promise<R[]>,
  cells: Record<string, (row: R, number: NumberOf) => Cell>,
): DatasetReader {
  const columns = Object.keys(cells);
  return {
    columns,
    count: (db, source) => q.countOf(db, table, source.consultation.id),
    async *batches(db, source, batchSize) {
      const number = numberOf(source);
      for await (const batch of keysetBatches(
        (after, limit) => page(db, source.consultation.id, after, limit),
        batchSize,
      )) {
        yield batch.map((r) => Object.fromEntries(columns.map((c) => [c, cells[c]!(r, number)])));
      }
    },
  };
}

const comments = tableReader('comments', q.commentsPage, {
  id: (c) => c.id,
  recommendation_number: (c, number) => number(c.recommendation_id),
  reply_to: (c) => c.parent_id,
  thread: (c) => c.thread_id,
  author_name: (c) => c.author_display_name,
  author_group: (c) => c.author_segment,
  author_verified: (c) => c.author_verified,
  posted_at: (c) => time(c.created_at),
  edited_at: (c) => time(c.edited_at),
  status: (c) => COMMENT_STATUS[c.status],
  held_because: (c) => c.held_reason,
  reports: (c) => c.report_count,
  helpful_votes: (c) => c.helpful_count,
  replies: (c) => c.reply_count,
  // A comment its author deleted keeps no text.
  text: (c) => (c.status === 'deleted' ? null : c.body),
});

const endorsements = tableReader('endorsements', q.endorsementsPage, {
  id: (e) => e.id,
  recommendation_number: (e, number) => number(e.recommendation_id),
  name: (e) => e.display_name,
  organisation: (e) => e.organisation,
  group: (e) => e.segment,
  for_their_organisation: (e) => e.on_behalf_of_organisation,
  name_shown: (e) => e.show_name,
  endorsed_at: (e) => time(e.created_at),
});

const moderationDecisions = tableReader('moderation_decisions', q.moderationDecisionsPage, {
  id: (d) => d.id,
  decided_at: (d) => time(d.created_at),
  decided_by: (d) => d.decided_by_name,
  item: (d) => d.item_type,
  comment_id: (d) => d.comment_id,
  response_reference: (d) => d.response_reference,
  recommendation_number: (d, number) => number(d.recommendation_id),
  // "redact" is stored; the pages call it an edit.
  action: (d) => (d.action === 'redact' ? 'edit' : d.action),
  reason: (d) => d.reason,
  note: (d) => d.note,
  status_before: (d) => d.status_before,
  status_after: (d) => d.status_after,
  text_before: (d) => d.body_before,
  text_after: (d) => d.body_after,
  undoes: (d) => d.undoes_id,
  part_of_bulk_action: (d) => d.bulk,
});

const auditLog: DatasetReader = {
  columns: [...AUDIT_CSV_COLUMNS],
  count: (db, source) => q.countOf(db, 'audit_events', source.consultation.id),
  async *batches(db, source) {
    const filter = { actor: null, action: null, targetType: null, from: null, to: null };
    for await (const batch of auditEventBatches(
      db,
      { consultationId: source.consultation.id },
      { ...filter, before: null },
    )) {
      yield batch.map((e) => {
        const cells = auditCsvRow(e);
        return Object.fromEntries(AUDIT_CSV_COLUMNS.map((c, i) => [c, cells[i] || null]));
      });
    }
  },
};

export function datasetReader(dataset: ExportDataset, source: ExportSource): DatasetReader {
  switch (dataset) {
    case 'responses-long':
      return responsesLong;
    case 'responses-wide':
      return responsesWide(source);
    case 'comments':
      return comments;
    case 'endorsements':
      return endorsements;
    case 'moderation-decisions':
      return moderationDecisions;
    case 'audit-log':
      return auditLog;
  }
}

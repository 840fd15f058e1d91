import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { MARKDOWN_RENDERER_VERSION, renderForStorage, type MarkdownKind } from './safe';

/** Every stored markdown text: its table, source column, HTML column and renderer. */
const STORED: { table: string; source: string; html: string; kind: MarkdownKind }[] = [
  { table: 'consultations', source: 'body', html: 'body_html', kind: 'description' },
  { table: 'consultations', source: 'house_rules', html: 'house_rules_html', kind: 'house-rules' },
  { table: 'recommendations', source: 'rationale', html: 'rationale_html', kind: 'rationale' },
  { table: 'comments', source: 'body', html: 'body_html', kind: 'comment' },
  // Drafts of summaries and outcome updates; a published summary's HTML is frozen in its
  // snapshot and never rendered again.
  { table: 'summaries', source: 'intro', html: 'intro_html', kind: 'summary' },
  { table: 'summary_recommendations', source: 'you_said', html: 'you_said_html', kind: 'summary' },
  { table: 'summary_recommendations', source: 'we_did', html: 'we_did_html', kind: 'summary' },
  {
    table: 'summary_recommendations',
    source: 'outcome_reasons',
    html: 'outcome_reasons_html',
    kind: 'summary',
  },
  { table: 'outcome_updates', source: 'note', html: 'note_html', kind: 'summary' },
];

export const RERENDER_BATCH = 200;

/**
 * Renders again every stored text whose HTML is missing or older than the current renderer, a
 * batch of rows at a time in id order, so memory stays flat however many rows there are. A text
 * the current limits refuse (written before they existed) is kept as escaped plain text rather
 * than failing start-up. An update only lands on a row still at the old version: a text edited
 * meanwhile keeps the HTML its edit stored. Returns how many texts were rendered.
 */
export async function rerenderStaleMarkdown(
  db: Kysely<DB>,
  { batchSize = RERENDER_BATCH }: { batchSize?: number } = {},
) {
  let rendered = 0;
  for (const { table, source, html, kind } of STORED) {
    const version = sql.ref(`${html}_version`);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const { rows } = await sql<{ id: string; text: string }>`
        select id, ${sql.ref(source)} as text from ${sql.table(table)}
        where ${version} < ${MARKDOWN_RENDERER_VERSION} and id > ${after}::uuid
        order by id limit ${batchSize}`.execute(db);
      for (const row of rows) {
        await sql`update ${sql.table(table)}
          set ${sql.ref(html)} = ${renderForStorage(kind, row.text).html},
            ${version} = ${MARKDOWN_RENDERER_VERSION}
          where id = ${row.id}::uuid and ${version} < ${MARKDOWN_RENDERER_VERSION}`.execute(db);
      }
      rendered += rows.length;
      if (rows.length < batchSize) break;
      after = rows[rows.length - 1]!.id;
    }
  }
  return rendered;
}

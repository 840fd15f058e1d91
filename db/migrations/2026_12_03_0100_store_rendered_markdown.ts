import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.

// Markdown is rendered once, when it is written, and the sanitised HTML is kept beside its
// source, so that no page view ever runs the markdown parser. Each HTML column has the version
// of the renderer that made it: 0 means not rendered yet. Rows that exist when this runs are
// rendered by the start-up step (app/.server/markdown/stale.ts), in batches, because a
// migration may not import the renderer.
const COLUMNS: [table: string, html: string][] = [
  ['consultations', 'body_html'],
  ['consultations', 'house_rules_html'],
  ['recommendations', 'rationale_html'],
  ['comments', 'body_html'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, html] of COLUMNS) {
    await db.schema
      .alterTable(table)
      .addColumn(html, 'text')
      .addColumn(`${html}_version`, 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, html] of COLUMNS) {
    await db.schema.alterTable(table).dropColumn(html).dropColumn(`${html}_version`).execute();
  }
}

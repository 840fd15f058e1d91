import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as enums from '~/lib/enums';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';

// Each fixed set of values is written once, in app/lib/enums.ts; the database guards the same
// sets with CHECK constraints written in the migrations. This keeps the two the same: every
// `column in (…)` check is listed here against its list, and every list is checked somewhere.

const ORGANISATION_STAGES = [...enums.FOUNDER_STAGES, ...enums.INVESTOR_TYPES];

/** table.column → the list its CHECK constraint must allow, exactly. */
const EXPECTED: Record<string, readonly string[]> = {
  'comment_reports.reason': enums.REPORT_REASONS,
  'comments.author_segment': enums.SEGMENTS,
  'comments.held_reason': enums.HELD_REASONS,
  'comments.status': enums.COMMENT_STATUSES,
  'consultations.deletion_policy': enums.DELETION_POLICIES,
  'consultations.moderation_mode': enums.MODERATION_MODES,
  'consultations.results_visibility': enums.RESULTS_VISIBILITIES,
  'consultations.status': enums.CONSULTATION_STATUSES,
  'email_preferences.topic': enums.EMAIL_TOPICS,
  'email_tokens.purpose': enums.EMAIL_TOKEN_PURPOSES,
  'endorsement_counts.segment': enums.SEGMENTS,
  'endorsements.segment': enums.SEGMENTS,
  'moderation_appeals.item_type': enums.MODERATION_ITEM_TYPES,
  'moderation_decisions.action': enums.MODERATION_ACTIONS,
  'moderation_decisions.item_type': enums.MODERATION_ITEM_TYPES,
  'moderation_decisions.reason': enums.HIDE_REASONS,
  'outcome_updates.status': enums.OUTCOME_STATUSES,
  'recommendation_changes.kind': enums.RECOMMENDATION_CHANGE_KINDS,
  'recommendations.state': enums.RECOMMENDATION_STATES,
  'respondent_profiles.organisation_stage': ORGANISATION_STAGES,
  'respondent_profiles.segment': enums.SEGMENTS,
  'response_answers.stance': enums.STANCES,
  'responses.consent': enums.CONSENTS,
  'responses.segment': enums.SEGMENTS,
  'responses.status': enums.RESPONSE_STATUSES,
  'role_grants.role': enums.STAFF_ROLES,
  'role_invitations.role': enums.STAFF_ROLES,
  'submitted_answers.quote_status': enums.QUOTE_STATUSES,
  'submitted_answers.segment': enums.SEGMENTS,
  'submitted_answers.stance': enums.STANCES,
  'summary_recommendations.outcome_status': enums.OUTCOME_STATUSES,
  'suspension_hidden_comments.previous_status': enums.SUSPENDABLE_COMMENT_STATUSES,
  'verification_requests.status': enums.VERIFICATION_STATUSES,
};

type Check = { table: string; definition: string };

/** The values each `column = ANY (ARRAY[…])` in a CHECK constraint allows, by table.column. */
function allowedValues(checks: Check[]) {
  const found = new Map<string, Set<string>>();
  for (const { table, definition } of checks) {
    for (const [, column, list] of definition.matchAll(/\(?(\w+)\)? = ANY \(+ARRAY\[([^\]]*)\]/g)) {
      const values = [...list!.matchAll(/'([^']*)'::text/g)].map(([, value]) => value!);
      const key = `${table}.${column}`;
      found.set(key, new Set([...(found.get(key) ?? []), ...values]));
    }
  }
  return found;
}

describe.each(BACKENDS)('%s', (backend) => {
  let t: TestDb;
  let found: Map<string, Set<string>>;
  beforeAll(async () => {
    t = await createTestDb(backend);
    const { rows } = await sql<Check>`
      select c.conrelid::regclass::text as table, pg_get_constraintdef(c.oid) as definition
      from pg_constraint c
      where c.contype = 'c' and c.connamespace = current_schema()::regnamespace`.execute(t.db);
    found = allowedValues(rows.map((r) => ({ ...r, table: r.table.replace(/^.*\./, '') })));
  });
  afterAll(() => t?.destroy());

  test.each(Object.entries(EXPECTED))('%s allows exactly its list', (column, list) => {
    expect(found.get(column), `no CHECK constraint lists the values of ${column}`).toBeDefined();
    expect([...found.get(column)!].sort()).toEqual([...list].sort());
  });

  test('every column checked against a fixed list has its list in app/lib/enums.ts', () => {
    expect([...found.keys()].filter((column) => !(column in EXPECTED)).sort()).toEqual([]);
  });
});

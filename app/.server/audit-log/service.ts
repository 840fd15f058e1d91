import { stringify } from 'csv-stringify/sync';
import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { z } from 'zod';
import { AuditFilterSchema, ukDayBounds, type AuditFilter } from '~/lib/schemas/trust';
import { type Viewer } from '../auth';
import { requireOrganisedConsultation, requireSiteOrganiser } from '../auth/permissions';

// Browsing, filtering and exporting the audit log: per consultation for its organisers, and
// the whole log (accounts, verification, suspensions included) for site-wide organisers.

export const AUDIT_PAGE_SIZE = 50;
const EXPORT_BATCH = 1000;

/** A consultation's log, or the whole site's (null). */
type Scope = { consultationId: string } | null;

/** 404 for an unknown consultation, 403 unless the viewer organises it. */
export function consultationScope(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  return requireOrganisedConsultation(
    db,
    viewer,
    slug,
    'Only organisers of this consultation can read its audit log.',
  );
}

/** The whole log is for site-wide organisers only. */
export function requireSiteScope(viewer: Viewer | null) {
  requireSiteOrganiser(viewer, 'Only site-wide organisers can read the whole audit log.');
}

function filtered(db: Kysely<DB>, scope: Scope, filter: Omit<AuditFilter, 'before'>) {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('users as actor', 'actor.id', 'audit_events.actor_id')
    .leftJoin(
      'respondent_profiles as actor_profile',
      'actor_profile.user_id',
      'audit_events.actor_id',
    )
    .leftJoin('consultations', 'consultations.id', 'audit_events.consultation_id')
    // Events about a person name them, so a reader need not look ids up.
    .leftJoin('respondent_profiles as target_profile', (join) =>
      join
        .on('audit_events.target_type', '=', 'user')
        .on(sql`target_profile.user_id::text`, '=', sql.ref('audit_events.target_id')),
    );
  if (scope) query = query.where('audit_events.consultation_id', '=', scope.consultationId);
  if (filter.actor) query = query.where('actor.email', '=', filter.actor);
  if (filter.action) query = query.where('audit_events.action', '=', filter.action);
  if (filter.targetType) query = query.where('audit_events.target_type', '=', filter.targetType);
  if (filter.from)
    query = query.where('audit_events.occurred_at', '>=', ukDayBounds(filter.from).start);
  if (filter.to) query = query.where('audit_events.occurred_at', '<', ukDayBounds(filter.to).end);
  return query.select([
    'audit_events.id',
    'audit_events.occurred_at',
    'audit_events.action',
    'audit_events.target_type',
    'audit_events.target_id',
    'audit_events.reason',
    'audit_events.before',
    'audit_events.after',
    'audit_events.request_id',
    'actor.email as actor_email',
    'actor_profile.display_name as actor_name',
    'consultations.slug as consultation_slug',
    'target_profile.display_name as target_name',
  ]);
}

async function page(db: Kysely<DB>, scope: Scope, filter: AuditFilter, limit: number) {
  let query = filtered(db, scope, filter)
    .orderBy('audit_events.id', 'desc')
    .limit(limit + 1);
  if (filter.before) query = query.where('audit_events.id', '<', filter.before);
  const rows = await query.execute();
  const events = rows.slice(0, limit).map((r) => ({ ...r, id: Number(r.id) }));
  return { events, nextBefore: rows.length > limit ? events[events.length - 1]!.id : null };
}

/** What the filter lists offer: the actions and target types present in this log. */
async function facets(db: Kysely<DB>, scope: Scope) {
  let actions = db.selectFrom('audit_events').select('action').distinct().orderBy('action');
  let targets = db
    .selectFrom('audit_events')
    .select('target_type')
    .distinct()
    .orderBy('target_type');
  if (scope) {
    actions = actions.where('consultation_id', '=', scope.consultationId);
    targets = targets.where('consultation_id', '=', scope.consultationId);
  }
  return {
    actions: (await actions.execute()).map((r) => r.action),
    targetTypes: (await targets.execute()).map((r) => r.target_type),
  };
}

/** Organisers of the consultation: its log, filtered, newest first, a page at a time. */
export async function browseConsultationAudit(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  filter: AuditFilter,
) {
  const consultation = await consultationScope(db, viewer, slug);
  const scope = { consultationId: consultation.id };
  return {
    consultation: { slug: consultation.slug, title: consultation.title },
    ...(await page(db, scope, filter, AUDIT_PAGE_SIZE)),
    ...(await facets(db, scope)),
  };
}

/** Site-wide organisers: the whole log, filtered, newest first, a page at a time. */
export async function browseSiteAudit(db: Kysely<DB>, viewer: Viewer | null, filter: AuditFilter) {
  requireSiteScope(viewer);
  return { ...(await page(db, null, filter, AUDIT_PAGE_SIZE)), ...(await facets(db, null)) };
}

/** Every event matching the filter, newest first, a batch at a time by keyset. */
export async function* auditEventBatches(db: Kysely<DB>, scope: Scope, filter: AuditFilter) {
  let before = filter.before;
  for (;;) {
    const batch = await page(db, scope, { ...filter, before }, EXPORT_BATCH);
    yield batch.events;
    if (!batch.nextBefore) return;
    before = batch.nextBefore;
  }
}

export type AuditEventRow = Awaited<ReturnType<typeof page>>['events'][number];

/** Every event matching the filter, newest first. */
export async function allAuditEvents(db: Kysely<DB>, scope: Scope, filter: AuditFilter) {
  const all: AuditEventRow[] = [];
  for await (const batch of auditEventBatches(db, scope, filter)) all.push(...batch);
  return all;
}

/**
 * A spreadsheet program runs a cell that starts with = + - @ (or a tab or carriage return) as
 * a formula; a leading apostrophe makes it plain text again (OWASP's advice for CSV injection).
 */
export function neutraliseFormula(value: string) {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function json(value: unknown) {
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

export const AUDIT_CSV_COLUMNS = [
  'id',
  'occurred_at',
  'actor_email',
  'actor_name',
  'action',
  'target_type',
  'target_id',
  'target_name',
  'consultation',
  'reason',
  'before',
  'after',
  'request_id',
] as const;

/** One event as the audit CSV's cells, in AUDIT_CSV_COLUMNS order. */
export function auditCsvRow(e: AuditEventRow) {
  return [
    String(e.id),
    e.occurred_at.toISOString(),
    e.actor_email ?? '',
    e.actor_name ?? '',
    e.action,
    e.target_type,
    e.target_id,
    e.target_name ?? '',
    e.consultation_slug ?? '',
    e.reason ?? '',
    json(e.before),
    json(e.after),
    e.request_id ?? '',
  ];
}

/** The events as CSV, one row each, safe to open in a spreadsheet. */
export function auditCsv(events: AuditEventRow[]) {
  return stringify(events.map(auditCsvRow), {
    header: true,
    columns: [...AUDIT_CSV_COLUMNS],
    cast: { string: (value) => neutraliseFormula(value) },
  });
}

/** Organisers of the consultation: its log as CSV. */
export async function consultationAuditCsv(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  filter: AuditFilter,
) {
  const consultation = await consultationScope(db, viewer, slug);
  const events = await allAuditEvents(db, { consultationId: consultation.id }, filter);
  return { filename: `${consultation.slug}-audit.csv`, csv: auditCsv(events) };
}

/** Site-wide organisers: the whole log as CSV. */
export async function siteAuditCsv(db: Kysely<DB>, viewer: Viewer | null, filter: AuditFilter) {
  requireSiteScope(viewer);
  return { filename: 'audit-log.csv', csv: auditCsv(await allAuditEvents(db, null, filter)) };
}

const NO_FILTER: AuditFilter = {
  actor: null,
  action: null,
  targetType: null,
  from: null,
  to: null,
  before: null,
};

/**
 * The filters in a log page's address. Invalid ones are dropped and reported as field errors
 * (status 400) with what was typed, so the page still shows the log.
 */
export function readAuditFilter(request: Request) {
  const values = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = AuditFilterSchema.safeParse(values);
  if (parsed.success) return { filter: parsed.data, feedback: undefined, status: 200 };
  return {
    filter: NO_FILTER,
    feedback: {
      formError: null,
      fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>,
      values,
    },
    status: 400,
  };
}

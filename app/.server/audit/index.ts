import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';

export type AuditEntry = {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  consultationId?: string | null;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
};

/** Appends one audit event; call it inside the transaction that makes the change. */
export async function recordAudit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry) {
  await db
    .insertInto('audit_events')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      consultation_id: entry.consultationId ?? null,
      reason: entry.reason ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      request_id: entry.requestId ?? null,
    })
    .execute();
}

/** Audit events of one consultation, newest first. */
export async function listAuditEvents(
  db: Kysely<DB>,
  consultationId: string,
  options: { before?: number; limit?: number } = {},
) {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('respondent_profiles', 'respondent_profiles.user_id', 'audit_events.actor_id')
    .select([
      'audit_events.id',
      'audit_events.occurred_at',
      'audit_events.action',
      'audit_events.target_type',
      'audit_events.target_id',
      'audit_events.reason',
      'audit_events.before',
      'audit_events.after',
      'respondent_profiles.display_name as actor_name',
    ])
    .where('audit_events.consultation_id', '=', consultationId)
    .orderBy('audit_events.id', 'desc')
    .limit(options.limit ?? 50);
  if (options.before !== undefined) query = query.where('audit_events.id', '<', options.before);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

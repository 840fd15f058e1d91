import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { listAuditEvents, recordAudit } from '~/.server/audit';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import { createConsultation, createUser } from '#tests/support/factories';

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function recordOne(reason: string) {
      const actor = await createUser(db);
      const consultation = await createConsultation(db);
      await recordAudit(db, {
        actorId: actor.id,
        action: 'consultation.updated',
        targetType: 'consultation',
        targetId: consultation.id,
        consultationId: consultation.id,
        reason,
        before: { title: 'Old' },
        after: { title: 'New' },
        requestId: 'req-1',
      });
      return { actor, consultation };
    }

    test('an audit event is appended and read back with its actor and JSON before/after', async () => {
      const { actor, consultation } = await recordOne('typo');

      const events = await listAuditEvents(db, consultation.id);

      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'consultation.updated',
        target_type: 'consultation',
        target_id: consultation.id,
        reason: 'typo',
        before: { title: 'Old' },
        after: { title: 'New' },
        actor_name: actor.displayName,
      });
      expect(typeof events[0]!.id).toBe('number');
      expect(events[0]!.occurred_at).toBeInstanceOf(Date);
    });

    test('the database refuses to change an audit event', async () => {
      const { consultation } = await recordOne('original reason');

      await expect(
        db
          .updateTable('audit_events')
          .set({ reason: 'rewritten history' })
          .where('consultation_id', '=', consultation.id)
          .execute(),
      ).rejects.toThrow(/append-only/);

      const [event] = await listAuditEvents(db, consultation.id);
      expect(event!.reason).toBe('original reason');
    });

    test('the database refuses to delete an audit event, or to empty the table', async () => {
      const { consultation } = await recordOne('keep me');

      await expect(
        db.deleteFrom('audit_events').where('consultation_id', '=', consultation.id).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only/);

      expect(await listAuditEvents(db, consultation.id)).toHaveLength(1);
    });

    test('audit events of a consultation page newest first', async () => {
      const { consultation } = await recordOne('first');
      for (const reason of ['second', 'third']) {
        await recordAudit(db, {
          actorId: null,
          action: 'consultation.updated',
          targetType: 'consultation',
          targetId: consultation.id,
          consultationId: consultation.id,
          reason,
        });
      }

      const page1 = await listAuditEvents(db, consultation.id, { limit: 2 });
      const page2 = await listAuditEvents(db, consultation.id, { limit: 2, before: page1[1]!.id });

      expect(page1.map((e) => e.reason)).toEqual(['third', 'second']);
      expect(page2.map((e) => e.reason)).toEqual(['first']);
    });
  });
}

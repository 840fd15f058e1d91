import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB, DeletionPolicy } from '#db/schema';
import { recordAudit } from '~/.server/audit';
import { browseConsultationAudit, consultationAuditCsv } from '~/.server/audit-log';
import type { Viewer } from '~/.server/auth';
import { DomainError } from '~/.server/errors';
import { eraseAccount } from '~/.server/privacy';
import { saveAnswer, saveFinalStep, submitResponse } from '~/.server/responses';
import { AnswerSchema } from '~/lib/schemas/responses';
import { AuditFilterSchema } from '~/lib/schemas/trust';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  createUser,
  ctx,
} from '#tests/support/factories';

const REASONS = 'My reasons, which are mine alone and stay out of the audit log.';

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

    /** The consultation's log as its organisers' audit page reads it, newest first. */
    async function auditPage(consultation: { slug: string }) {
      const organiser = await createOrganiser(db);
      const page = await browseConsultationAudit(
        db,
        organiser,
        consultation.slug,
        AuditFilterSchema.parse({}),
      );
      return page.events;
    }

    test('an audit event is appended and read back with its actor and JSON before/after', async () => {
      const { actor, consultation } = await recordOne('typo');

      const events = await auditPage(consultation);

      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'consultation.updated',
        target_type: 'consultation',
        target_id: consultation.id,
        reason: 'typo',
        before: { title: 'Old' },
        after: { title: 'New' },
        request_id: 'req-1',
        actor_email: actor.email,
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

      const [event] = await auditPage(consultation);
      expect(event!.reason).toBe('original reason');
    });

    test('the database refuses to delete an audit event, or to empty the table', async () => {
      const { consultation } = await recordOne('keep me');

      await expect(
        db.deleteFrom('audit_events').where('consultation_id', '=', consultation.id).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only/);

      expect(await auditPage(consultation)).toHaveLength(1);
    });

    // --- Responses: submitted, resubmitted, withdrawn -------------------------------------

    /** An open consultation with two recommendations, both answered by a new respondent. */
    async function answeredResponse(deletionPolicy: DeletionPolicy = 'anonymise') {
      const consultation = await createConsultation(db, {
        status: 'open',
        deletion_policy: deletionPolicy,
      });
      const recommendations = [
        await createRecommendation(db, consultation.id),
        await createRecommendation(db, consultation.id),
      ];
      const me = await createRespondent(db);
      for (const r of recommendations) {
        await saveAnswer(
          db,
          me,
          consultation.slug,
          r.slug,
          AnswerSchema.parse({ stance: 'support', reasons: REASONS }),
        );
      }
      await saveFinalStep(db, me, consultation.slug, {
        overallComments: REASONS,
        consent: 'named',
      });
      return { consultation, recommendations, me };
    }

    async function responseEvents(consultationId: string) {
      return db
        .selectFrom('audit_events')
        .select(['action', 'actor_id', 'target_type', 'target_id', 'before', 'after', 'request_id'])
        .where('consultation_id', '=', consultationId)
        .where('target_type', '=', 'response')
        .orderBy('id')
        .execute();
    }

    async function responseIdOf(consultationId: string, userId: string) {
      const row = await db
        .selectFrom('responses')
        .select('id')
        .where('consultation_id', '=', consultationId)
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return row.id;
    }

    test('submitting writes one response.submitted event, with ids and counts but none of the answers', async () => {
      const { consultation, me } = await answeredResponse();
      const request = ctx();

      const receipt = await submitResponse(db, me, consultation.slug, randomUUID(), request);

      const events = await responseEvents(consultation.id);
      expect(events).toEqual([
        {
          action: 'response.submitted',
          actor_id: me.id,
          target_type: 'response',
          target_id: await responseIdOf(consultation.id, me.id),
          before: null,
          after: { reference: receipt.reference, version: 1, answers: 2 },
          request_id: request.requestId,
        },
      ]);
      expect(JSON.stringify(events)).not.toContain('My reasons');
    });

    test('resubmitting writes one response.resubmitted event; a replayed submission writes none', async () => {
      const { consultation, recommendations, me } = await answeredResponse();
      const key = randomUUID();
      const first = await submitResponse(db, me, consultation.slug, key, ctx());
      await submitResponse(db, me, consultation.slug, key, ctx());
      await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendations[0]!.slug,
        AnswerSchema.parse({ stance: 'oppose' }),
      );

      const second = await submitResponse(db, me, consultation.slug, randomUUID(), ctx());
      await submitResponse(db, me, consultation.slug, key, ctx());

      expect(second.version).toBe(2);
      expect((await responseEvents(consultation.id)).map((e) => [e.action, e.after])).toEqual([
        ['response.submitted', { reference: first.reference, version: 1, answers: 2 }],
        ['response.resubmitted', { reference: first.reference, version: 2, answers: 2 }],
      ]);
    });

    test('a submission refused because the consultation has closed writes no event', async () => {
      const { consultation, me } = await answeredResponse();
      await db
        .updateTable('consultations')
        .set({ closes_at: new Date(Date.now() - 60_000) })
        .where('id', '=', consultation.id)
        .execute();

      const error = await submitResponse(db, me, consultation.slug, randomUUID(), ctx()).catch(
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('closed');
      expect(await responseEvents(consultation.id)).toEqual([]);
    });

    test('a submission whose transaction fails at commit leaves no event, as it leaves no version', async () => {
      const { consultation, me } = await answeredResponse();
      const responseId = await responseIdOf(consultation.id, me.id);
      // Checked at commit, after every write of the submission (its audit event included).
      await sql`create function refuse_version() returns trigger language plpgsql as $$
        begin raise exception 'refused at commit'; end $$`.execute(db);
      await sql`create constraint trigger refuse_version after insert on response_versions
        deferrable initially deferred for each row
        when (new.response_id = ${sql.lit(responseId)}::uuid)
        execute function refuse_version()`.execute(db);
      try {
        await expect(
          submitResponse(db, me, consultation.slug, randomUUID(), ctx()),
        ).rejects.toThrow(/refused at commit/);
      } finally {
        await sql`drop trigger refuse_version on response_versions`.execute(db);
        await sql`drop function refuse_version()`.execute(db);
      }

      expect(await responseEvents(consultation.id)).toEqual([]);
      const versions = await db
        .selectFrom('response_versions')
        .select('number')
        .where('response_id', '=', responseId)
        .execute();
      expect(versions).toEqual([]);
    });

    /** A second consultation in which `me` answers one recommendation (a draft response). */
    async function draftIn(me: Viewer, deletionPolicy: DeletionPolicy) {
      const consultation = await createConsultation(db, {
        status: 'open',
        deletion_policy: deletionPolicy,
      });
      const recommendation = await createRecommendation(db, consultation.id);
      await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendation.slug,
        AnswerSchema.parse({ stance: 'oppose' }),
      );
      return consultation;
    }

    test('deleting an account withdraws each submitted response with an event in its consultation’s log, under the pseudonym', async () => {
      const kept = await answeredResponse('anonymise');
      const me: Viewer = kept.me;
      await submitResponse(db, me, kept.consultation.slug, randomUUID(), ctx());
      const erasedConsultation = await draftIn(me, 'erase');
      await saveFinalStep(db, me, erasedConsultation.slug, {
        overallComments: '',
        consent: 'private',
      });
      await submitResponse(db, me, erasedConsultation.slug, randomUUID(), ctx());
      const draftConsultation = await draftIn(me, 'anonymise');
      const ids = {
        kept: await responseIdOf(kept.consultation.id, me.id),
        erased: await responseIdOf(erasedConsultation.id, me.id),
      };
      const request = ctx();

      const summary = (await eraseAccount(db, me.id, request))!;

      const keptEvents = await responseEvents(kept.consultation.id);
      expect(keptEvents.map((e) => [e.action, e.actor_id, e.target_id])).toEqual([
        ['response.submitted', summary.pseudonym, ids.kept],
        ['response.withdrawn', summary.pseudonym, ids.kept],
      ]);
      expect(keptEvents[1]).toMatchObject({
        after: { outcome: 'anonymised' },
        request_id: request.requestId,
      });
      const erasedEvents = await responseEvents(erasedConsultation.id);
      expect(erasedEvents.map((e) => [e.action, e.actor_id, e.after])).toEqual([
        ['response.submitted', summary.pseudonym, expect.objectContaining({ version: 1 })],
        ['response.withdrawn', summary.pseudonym, { outcome: 'erased' }],
      ]);
      // A draft was never received, so nothing was withdrawn from that consultation.
      expect(await responseEvents(draftConsultation.id)).toEqual([]);
      const byId = await db
        .selectFrom('audit_events')
        .select('id')
        .where('actor_id', '=', me.id)
        .execute();
      expect(byId).toEqual([]);
    });

    test('the organisers’ audit page and its CSV list the response events with the others', async () => {
      const { consultation, me } = await answeredResponse();
      const organiser = await createOrganiser(db);
      const receipt = await submitResponse(db, me, consultation.slug, randomUUID(), ctx());
      const noFilter = AuditFilterSchema.parse({});

      const page = await browseConsultationAudit(db, organiser, consultation.slug, noFilter);
      const csv = await consultationAuditCsv(db, organiser, consultation.slug, noFilter);

      expect(page.actions).toContain('response.submitted');
      expect(page.events.map((e) => [e.action, e.actor_email])).toEqual([
        ['response.submitted', me.email],
      ]);
      const lines = csv.csv.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(',response.submitted,response,');
      expect(lines[1]).toContain(receipt.reference);
      expect(csv.csv).not.toContain('My reasons');
    });
  });
}

import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Consultation, DB, Recommendation } from '#db/schema';
import { browseConsultationAudit } from '~/.server/audit-log';
import type { Viewer } from '~/.server/auth';
import { DomainError } from '~/.server/errors';
import {
  getReceipt,
  getWithdrawal,
  listResponsesForOrganiser,
  saveAnswer,
  withdrawResponse,
} from '~/.server/responses';
import { checkResults } from '~/.server/results';
import { AnswerSchema } from '~/lib/schemas/responses';
import { AuditFilterSchema } from '~/lib/schemas/trust';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  ctx,
  insertComment,
  insertEndorsement,
  submitChoosingPublishing,
} from '#tests/support/factories';

const REASONS = 'Hiring is slow and costly for small teams like mine, so this would help';

/** One questionnaire page as the form posts it, parsed as the route parses it. */
function page(stance: string, reasons = '') {
  return AnswerSchema.parse({ stance, importance: '', reasons, changeMind: '' });
}

for (const backend of BACKENDS) {
  describe(`${backend}: withdrawing a response`, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    let organiser: Viewer;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
      organiser = await createOrganiser(db);
    });
    afterAll(() => t?.destroy());

    async function openConsultation(): Promise<{
      consultation: Consultation;
      recommendation: Recommendation;
    }> {
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      return { consultation, recommendation };
    }

    /** A respondent who answered through the questionnaire and submitted, as the pages do. */
    async function submitted(consultation: Consultation, recommendation: Recommendation) {
      const me = await createRespondent(db);
      await saveAnswer(db, me, consultation.slug, recommendation.slug, page('support', REASONS));
      const receipt = await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      return { me, receipt };
    }

    async function countedResponses(consultationId: string) {
      const row = await db
        .selectFrom('result_response_counts')
        .select(sql<number>`coalesce(sum(responses), 0)::int`.as('n'))
        .where('consultation_id', '=', consultationId)
        .executeTakeFirstOrThrow();
      return row.n;
    }

    async function rowsOf(table: 'responses' | 'response_versions' | 'submitted_answers') {
      return db
        .selectFrom(table)
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
    }

    test('withdrawing deletes the response and its answers, the counts go down, and the rollups still equal a rebuild', async () => {
      const { consultation, recommendation } = await openConsultation();
      const { me, receipt } = await submitted(consultation, recommendation);
      const other = await submitted(consultation, recommendation);
      expect(await countedResponses(consultation.id)).toBe(2);
      const before = {
        responses: (await rowsOf('responses')).n,
        versions: (await rowsOf('response_versions')).n,
        answers: (await rowsOf('submitted_answers')).n,
      };

      const result = await withdrawResponse(db, me, consultation.slug, randomUUID(), ctx());

      expect(result).toEqual({ outcome: 'withdrawn', reference: receipt.reference });
      expect(await countedResponses(consultation.id)).toBe(1);
      expect(await checkResults(db)).toEqual([]);
      expect((await rowsOf('responses')).n).toBe(before.responses - 1);
      expect((await rowsOf('response_versions')).n).toBe(before.versions - 1);
      expect((await rowsOf('submitted_answers')).n).toBe(before.answers - 1);
      const working = await db
        .selectFrom('response_answers')
        .innerJoin('responses', 'responses.id', 'response_answers.response_id')
        .select('response_answers.reasons')
        .where('responses.user_id', '=', me.id)
        .execute();
      expect(working).toEqual([]);
      await expect(getReceipt(db, me, consultation.slug)).rejects.toMatchObject({
        code: 'not_found',
      });
      // The organisers' list shows only the response that stays.
      const list = await listResponsesForOrganiser(db, organiser, consultation.slug, {
        segment: undefined,
        recommendation: undefined,
        stance: undefined,
        after: undefined,
      });
      expect(list.responses.map((r) => r.reference)).toEqual([other.receipt.reference]);
    });

    test('a withdrawal writes one response.withdrawn audit event with the reference and no answer text, and queues a confirmation email', async () => {
      const { consultation, recommendation } = await openConsultation();
      const { me, receipt } = await submitted(consultation, recommendation);
      const requestId = randomUUID();

      await withdrawResponse(db, me, consultation.slug, randomUUID(), ctx({ requestId }));

      const { events } = await browseConsultationAudit(
        db,
        organiser,
        consultation.slug,
        AuditFilterSchema.parse({ action: 'response.withdrawn' }),
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        target_type: 'response',
        after: { outcome: 'withdrawn', reference: receipt.reference },
      });
      const raw = await db
        .selectFrom('audit_events')
        .select(['actor_id', 'request_id', sql<string>`after::text`.as('after')])
        .where('action', '=', 'response.withdrawn')
        .where('consultation_id', '=', consultation.id)
        .executeTakeFirstOrThrow();
      expect(raw.actor_id).toBe(me.id);
      expect(raw.request_id).toBe(requestId);
      expect(raw.after).not.toContain('Hiring');
      const email = await db
        .selectFrom('email_outbox')
        .select(['kind', 'subject', 'text_body'])
        .where('user_id', '=', me.id)
        .where('kind', '=', 'response.withdrawn')
        .executeTakeFirstOrThrow();
      expect(email.subject).toContain(receipt.reference);
      expect(email.text_body).toContain('no longer count in the results');
      expect(email.text_body).not.toContain(REASONS);
    });

    test('the same confirmation sent twice withdraws once; a second tab gets already_withdrawn, not an error', async () => {
      const { consultation, recommendation } = await openConsultation();
      const { me, receipt } = await submitted(consultation, recommendation);
      const key = randomUUID();

      const [first, replay] = await Promise.all([
        withdrawResponse(db, me, consultation.slug, key, ctx()),
        withdrawResponse(db, me, consultation.slug, key, ctx()),
      ]);
      const otherTab = await withdrawResponse(db, me, consultation.slug, randomUUID(), ctx());

      expect(first).toEqual({ outcome: 'withdrawn', reference: receipt.reference });
      expect(replay).toEqual(first);
      expect(otherTab).toEqual({ outcome: 'already_withdrawn', reference: receipt.reference });
      const events = await db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'response.withdrawn')
        .where('consultation_id', '=', consultation.id)
        .execute();
      expect(events).toHaveLength(1);
      const emails = await db
        .selectFrom('email_outbox')
        .select('id')
        .where('user_id', '=', me.id)
        .where('kind', '=', 'response.withdrawn')
        .execute();
      expect(emails).toHaveLength(1);
      expect(await checkResults(db)).toEqual([]);
    });

    test('two withdrawals from two tabs at once delete once and both answer calmly', async () => {
      const { consultation, recommendation } = await openConsultation();
      const { me } = await submitted(consultation, recommendation);

      const outcomes = await Promise.all([
        withdrawResponse(db, me, consultation.slug, randomUUID(), ctx()),
        withdrawResponse(db, me, consultation.slug, randomUUID(), ctx()),
      ]);

      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_withdrawn', 'withdrawn']);
      expect(await countedResponses(consultation.id)).toBe(0);
      expect(await checkResults(db)).toEqual([]);
    });

    test('after withdrawing, the person may respond again and submit a new response', async () => {
      const { consultation, recommendation } = await openConsultation();
      const { me, receipt } = await submitted(consultation, recommendation);
      await withdrawResponse(db, me, consultation.slug, randomUUID(), ctx());

      const confirmation = await getWithdrawal(db, me, consultation.slug);
      expect(confirmation.response).toBeNull();
      expect(confirmation.withdrawnAt).not.toBeNull();

      await saveAnswer(db, me, consultation.slug, recommendation.slug, page('oppose'));
      const again = await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      expect(again.version).toBe(1);
      expect(again.reference).not.toBe(receipt.reference);
      expect(await countedResponses(consultation.id)).toBe(1);
      expect(await checkResults(db)).toEqual([]);
    });

    test('after the close a response cannot be withdrawn, and the message says what to do instead', async () => {
      const { consultation, recommendation } = await openConsultation();
      const { me } = await submitted(consultation, recommendation);
      await db
        .updateTable('consultations')
        .set({ closes_at: new Date(Date.now() - 60_000) })
        .where('id', '=', consultation.id)
        .execute();

      const refused = withdrawResponse(db, me, consultation.slug, randomUUID(), ctx());

      await expect(refused).rejects.toBeInstanceOf(DomainError);
      await expect(refused).rejects.toMatchObject({
        code: 'closed',
        message: expect.stringMatching(
          /closed on .*can no longer be withdrawn\. You can delete your account.*or contact the organisers/,
        ),
      });
      expect(await countedResponses(consultation.id)).toBe(1);
      const confirmation = await getWithdrawal(db, me, consultation.slug);
      expect(confirmation.closedMessage).toMatch(/can no longer be withdrawn/);
    });

    test('only the author can withdraw: another person, a signed-out visitor and a draft have nothing to withdraw', async () => {
      const { consultation, recommendation } = await openConsultation();
      await submitted(consultation, recommendation);
      const stranger = await createRespondent(db);
      const drafter = await createRespondent(db);
      await saveAnswer(db, drafter, consultation.slug, recommendation.slug, page('support'));

      for (const [viewer, code] of [
        [stranger, 'not_found'],
        [drafter, 'not_found'],
        [null, 'unauthenticated'],
      ] as const) {
        await expect(
          withdrawResponse(db, viewer, consultation.slug, randomUUID(), ctx()),
        ).rejects.toMatchObject({ code });
      }
      expect(await countedResponses(consultation.id)).toBe(1);
      const drafts = await db
        .selectFrom('responses')
        .select('status')
        .where('user_id', '=', drafter.id)
        .execute();
      expect(drafts).toEqual([{ status: 'draft' }]);
    });

    test('a suspended author is refused and the response stays', async () => {
      const { consultation, recommendation } = await openConsultation();
      const { me } = await submitted(consultation, recommendation);
      await db
        .insertInto('suspensions')
        .values({ user_id: me.id, reason: 'Repeated abuse', created_by: organiser.id })
        .execute();

      await expect(
        withdrawResponse(db, me, consultation.slug, randomUUID(), ctx()),
      ).rejects.toMatchObject({ code: 'suspended' });
      expect(await countedResponses(consultation.id)).toBe(1);
    });

    test('comments and endorsements stay after a withdrawal, and the confirmation page lists where they are', async () => {
      const { consultation, recommendation } = await openConsultation();
      const { me } = await submitted(consultation, recommendation);
      await insertComment(db, recommendation.id, { authorId: me.id });
      await insertEndorsement(db, recommendation.id, { userId: me.id });

      const confirmation = await getWithdrawal(db, me, consultation.slug);
      expect(confirmation.discussion).toEqual([
        {
          slug: recommendation.slug,
          number: recommendation.number,
          title: recommendation.title,
          comments: 1,
          endorsements: 1,
        },
      ]);
      await withdrawResponse(db, me, consultation.slug, randomUUID(), ctx());

      const comments = await db
        .selectFrom('comments')
        .select('status')
        .where('author_id', '=', me.id)
        .execute();
      expect(comments).toEqual([{ status: 'visible' }]);
      const endorsements = await db
        .selectFrom('endorsements')
        .select('id')
        .where('user_id', '=', me.id)
        .execute();
      expect(endorsements).toHaveLength(1);
      expect(await checkResults(db)).toEqual([]);
    });
  });
}

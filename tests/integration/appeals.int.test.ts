import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { reportComment } from '~/.server/comments';
import { DomainError } from '~/.server/errors';
import {
  ALREADY_APPEALED,
  decide,
  getAppeal,
  getItem,
  getQueue,
  requestAppeal,
} from '~/.server/moderation';
import { listNotifications } from '~/.server/notifications';
import { ReportSchema } from '~/lib/schemas/discussion';
import { AppealSchema, DecisionSchema, QueueFilterSchema } from '~/lib/schemas/moderation';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createRecommendation,
  createRespondent,
  createUser,
  ctx,
  grantRole,
  insertComment,
  makeViewer,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

function decision(fields: Record<string, string | number>) {
  return DecisionSchema.parse(
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
  );
}

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function setup() {
      const consultation = await createConsultation(db, { status: 'open', report_threshold: 5 });
      const rec = await createRecommendation(db, consultation.id);
      const mod = await createUser(db, { displayName: 'Mo Derator' });
      await grantRole(db, mod.id, 'moderator', consultation.id);
      const moderator = await makeViewer(db, mod.id);
      const authorUser = await createUser(db);
      const author = await makeViewer(db, authorUser.id);
      const comment = await insertComment(db, rec.id, { authorId: author.id });
      return { consultation, rec, moderator, author, comment, ref: `c.${comment.id}` };
    }

    async function hide(s: Awaited<ReturnType<typeof setup>>, seenSeq = 0, seenStatus = 'visible') {
      return decide(
        db,
        s.moderator,
        s.consultation.slug,
        s.ref,
        decision({ intent: 'hide', reason: 'spam', seenSeq, seenStatus }),
        ctx(),
      );
    }

    test('a moderator’s own hide says a moderator hid it, never that readers reported it', async () => {
      const s = await setup();
      const { decisionId } = await hide(s);
      const [message] = (await listNotifications(db, s.author.id)).items;
      expect(message!.body).toMatch(
        /^A moderator hid your comment on recommendation \d+, “.*” because it is spam or advertising\./,
      );
      expect(message!.body).not.toMatch(/report/i);
      expect(message!.appeal_decision_id).toBe(decisionId);
    });

    test('a hide after reports says readers reported it, with the number of reports', async () => {
      const s = await setup();
      for (let i = 0; i < 2; i++) {
        await reportComment(
          db,
          await createRespondent(db),
          s.consultation.slug,
          s.comment.id,
          ReportSchema.parse({ reason: 'spam' }),
          ctx(),
        );
      }
      await hide(s);
      const [message] = (await listNotifications(db, s.author.id)).items;
      expect(message!.body).toMatch(
        /^Readers reported your comment on recommendation \d+, “.*” \(2 reports\) and a moderator hid it because it is spam or advertising\./,
      );
    });

    test('an appeal puts the item back in the queue as an appeal, once; the decision on it is told to the author', async () => {
      const s = await setup();
      const { decisionId } = await hide(s);
      const before = await getQueue(
        db,
        s.moderator,
        s.consultation.slug,
        QueueFilterSchema.parse({}),
      );
      expect(before.items.some((i) => i.ref === s.ref)).toBe(false);

      const reason = AppealSchema.parse({
        reason: 'It is a link to our public response, not an advert.',
      });
      await requestAppeal(db, s.author, decisionId, reason, ctx());

      const queue = await getQueue(
        db,
        s.moderator,
        s.consultation.slug,
        QueueFilterSchema.parse({}),
      );
      const queued = queue.items.find((i) => i.ref === s.ref);
      expect(queued?.state).toBe('appeal');
      expect(queue.counts.appeal).toBe(1);
      const item = await getItem(db, s.moderator, s.consultation.slug, s.ref);
      expect(item.appeal?.reason).toBe(reason.reason);
      expect(item.item.needsReview).toBe(true);
      expect(item.actions).toEqual(expect.arrayContaining(['approve', 'hide', 'restore']));

      const again = await rejection(requestAppeal(db, s.author, decisionId, reason, ctx()));
      expect(again.code).toBe('conflict');
      expect(again.message).toBe(ALREADY_APPEALED);
      // Someone else cannot see or appeal it.
      const stranger = await createRespondent(db);
      expect((await rejection(getAppeal(db, stranger, decisionId))).code).toBe('not_found');
      expect((await rejection(requestAppeal(db, stranger, decisionId, reason, ctx()))).code).toBe(
        'not_found',
      );

      const { decisionId: answer } = await decide(
        db,
        s.moderator,
        s.consultation.slug,
        s.ref,
        decision({ intent: 'approve', seenSeq: 1, seenStatus: 'hidden' }),
        ctx(),
      );
      const status = await db
        .selectFrom('comments')
        .select('status')
        .where('id', '=', s.comment.id)
        .executeTakeFirstOrThrow();
      expect(status.status).toBe('visible');
      const [outcome] = (await listNotifications(db, s.author.id)).items;
      expect(outcome!.kind).toBe('moderation.comment.appeal_decided');
      expect(outcome!.body).toMatch(/again, as you asked, and made it visible/);
      expect(outcome!.appeal_decision_id).toBeNull();
      const after = await getQueue(
        db,
        s.moderator,
        s.consultation.slug,
        QueueFilterSchema.parse({}),
      );
      expect(after.items.some((i) => i.ref === s.ref)).toBe(false);

      const page = await getAppeal(db, s.author, decisionId);
      expect(page.appeal?.resolvedAt).toBeInstanceOf(Date);
      // The answer to an appeal is final.
      const answerPage = await getAppeal(db, s.author, answer);
      expect(answerPage.refusal).toMatch(/Only a decision to hide or edit/);

      const audit = await db
        .selectFrom('audit_events')
        .select('action')
        .where('target_id', '=', s.ref)
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'moderation.hide',
        'moderation.appeal_requested',
        'moderation.approve',
        'moderation.appeal_decided',
      ]);
    });

    test('keeping it hidden on appeal tells the author, and that decision cannot be appealed', async () => {
      const s = await setup();
      const { decisionId } = await hide(s);
      await requestAppeal(
        db,
        s.author,
        decisionId,
        AppealSchema.parse({ reason: 'Please look again.' }),
        ctx(),
      );
      const { decisionId: answer } = await decide(
        db,
        s.moderator,
        s.consultation.slug,
        s.ref,
        decision({ intent: 'hide', reason: 'spam', seenSeq: 1, seenStatus: 'hidden' }),
        ctx(),
      );
      const [outcome] = (await listNotifications(db, s.author.id)).items;
      expect(outcome!.body).toMatch(/and kept it hidden because it is spam or advertising/);
      const refused = await rejection(
        requestAppeal(db, s.author, answer, AppealSchema.parse({ reason: 'Again?' }), ctx()),
      );
      expect(refused.message).toBe(
        'This decision was the review you asked for, so it cannot be reviewed again.',
      );
    });

    test('two appeals at once for one decision: one is recorded, the other is refused', async () => {
      const s = await setup();
      const { decisionId } = await hide(s);
      const input = AppealSchema.parse({ reason: 'Double click.' });
      const settled = await Promise.allSettled([
        requestAppeal(db, s.author, decisionId, input, ctx()),
        requestAppeal(db, s.author, decisionId, input, ctx()),
      ]);
      expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = settled.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((failed.reason as DomainError).message).toBe(ALREADY_APPEALED);
      const rows = await db
        .selectFrom('moderation_appeals')
        .select('id')
        .where('decision_id', '=', decisionId)
        .execute();
      expect(rows).toHaveLength(1);
    });

    test('an approval cannot be appealed, nor a decision a later one replaced', async () => {
      const s = await setup();
      const { decisionId } = await hide(s);
      await decide(
        db,
        s.moderator,
        s.consultation.slug,
        s.ref,
        decision({ intent: 'restore', seenSeq: 1, seenStatus: 'hidden' }),
        ctx(),
      );
      const refused = await rejection(
        requestAppeal(db, s.author, decisionId, AppealSchema.parse({ reason: 'Late.' }), ctx()),
      );
      expect(refused.code).toBe('invalid');
      expect(refused.message).toMatch(/later decision/);
    });
  });
}

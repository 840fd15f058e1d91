import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import { COMMENT_NOTICES, reportComment, listComments, postComment } from '~/.server/comments';
import { DomainError } from '~/.server/errors';
import {
  decide,
  decideBulk,
  getItem,
  getQueue,
  getHouseRules,
  getPolicy,
  updatePolicy,
  QUEUE_PAGE_SIZE,
  SOMEONE_ELSE_FIRST,
} from '~/.server/moderation';
import { listNotifications } from '~/.server/notifications';
import { changeConsent, saveAnswer, saveFinalStep } from '~/.server/responses';
import { CommentSchema, ReportSchema } from '~/lib/schemas/discussion';
import {
  BulkDecisionSchema,
  DecisionSchema,
  PolicySchema,
  QueueFilterSchema,
  type DecisionInput,
} from '~/lib/schemas/moderation';
import { AnswerSchema } from '~/lib/schemas/responses';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation as insertConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  createUser,
  ctx,
  grantRole,
  insertComment,
  makeViewer,
  submitChoosingPublishing,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

const DAY = 24 * 60 * 60 * 1000;

function filter(query: Record<string, string> = {}) {
  return QueueFilterSchema.parse(query);
}

function decision(fields: Record<string, string | number>): DecisionInput {
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

    /** An open consultation with two recommendations and a moderator of it alone. */
    async function setup(overrides: { report_threshold?: number } = {}) {
      const consultation = await insertConsultation(db, { status: 'open', ...overrides });
      const first = await createRecommendation(db, consultation.id);
      const second = await createRecommendation(db, consultation.id);
      const moderatorUser = await createUser(db, { displayName: 'Mo Derator' });
      await grantRole(db, moderatorUser.id, 'moderator', consultation.id);
      const moderator = await makeViewer(db, moderatorUser.id);
      return { consultation, first, second, moderator };
    }

    async function reportTimes(slug: string, commentId: string, times: number) {
      for (let i = 0; i < times; i++) {
        const reporter = await createRespondent(db);
        await reportComment(
          db,
          reporter,
          slug,
          commentId,
          ReportSchema.parse({ reason: i === 0 ? 'abuse' : 'spam' }),
          ctx(),
        );
      }
    }

    async function auditActions(consultationId: string) {
      const rows = await db
        .selectFrom('audit_events')
        .select(['action', 'actor_id', 'target_id'])
        .where('consultation_id', '=', consultationId)
        .orderBy('id')
        .execute();
      return rows;
    }

    async function commentStatus(id: string) {
      return db
        .selectFrom('comments')
        .select(['status', 'body', 'reviewed_at', 'escalated_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    }

    test('the queue holds reported, auto-hidden and held comments, oldest first, with counts per state', async () => {
      const { consultation, first, second, moderator } = await setup();
      const old = Date.now() - 3 * DAY;
      const clean = await insertComment(db, first.id, { createdAt: new Date(old) });
      const reported = await insertComment(db, first.id, { createdAt: new Date(old + 1000) });
      const hidden = await insertComment(db, second.id, { createdAt: new Date(old + 2000) });
      const held = await insertComment(db, second.id, {
        status: 'held',
        createdAt: new Date(old - 1000),
      });
      await reportTimes(consultation.slug, reported.id, 1);
      await reportTimes(consultation.slug, hidden.id, 3);

      const queue = await getQueue(db, moderator, consultation.slug, filter());
      expect(queue.items.map((i) => [i.ref, i.state])).toEqual([
        [`c.${held.id}`, 'held'],
        [`c.${reported.id}`, 'reported'],
        [`c.${hidden.id}`, 'auto_hidden'],
      ]);
      expect(queue.items.some((i) => i.ref === `c.${clean.id}`)).toBe(false);
      expect(queue.counts).toEqual({
        reported: 1,
        auto_hidden: 1,
        held: 1,
        pending_quote: 0,
        escalated: 0,
        appeal: 0,
      });
      expect(queue.items[2]!.triggers).toEqual(['spam', 'abuse']);

      const newest = await getQueue(db, moderator, consultation.slug, filter({ order: 'newest' }));
      expect(newest.items.map((i) => i.ref)[0]).toBe(`c.${hidden.id}`);
    });

    test('queue filters by state, recommendation, trigger, segment and age', async () => {
      const { consultation, first, second, moderator } = await setup();
      const investor = await createUser(db, { segment: 'investor' });
      const a = await insertComment(db, first.id, { status: 'held' });
      const b = await insertComment(db, second.id, {
        status: 'held',
        authorId: investor.id,
        createdAt: new Date(Date.now() - 10 * DAY),
      });
      const c = await insertComment(db, second.id);
      await reportTimes(consultation.slug, c.id, 1);
      const refs = async (q: Record<string, string>) =>
        (await getQueue(db, moderator, consultation.slug, filter(q))).items.map((i) => i.ref);

      expect(await refs({ state: 'held' })).toEqual([`c.${b.id}`, `c.${a.id}`]);
      expect(await refs({ recommendation: String(first.number) })).toEqual([`c.${a.id}`]);
      expect(await refs({ segment: 'investor' })).toEqual([`c.${b.id}`]);
      expect(await refs({ trigger: 'abuse' })).toEqual([`c.${c.id}`]);
      expect(await refs({ trigger: 'links' })).toEqual([`c.${b.id}`, `c.${a.id}`]);
      expect(await refs({ age: 'older_than_week' })).toEqual([`c.${b.id}`]);
      expect(await refs({ age: 'day' })).toEqual([`c.${a.id}`, `c.${c.id}`]);
      // The counts follow the other filters, so the tabs say what each would show.
      const counts = (
        await getQueue(db, moderator, consultation.slug, filter({ segment: 'investor' }))
      ).counts;
      expect(counts.held).toBe(1);
      expect(counts.reported).toBe(0);
      // An altered filter falls back to "all" rather than failing.
      expect(filter({ state: 'nonsense', age: '<script>' })).toMatchObject({
        state: 'all',
        age: 'any',
      });
    });

    test('the queue pages by keyset without gaps or repeats, even at equal times', async () => {
      const { consultation, first, moderator } = await setup();
      const at = new Date(Date.now() - DAY);
      const ids = new Set<string>();
      for (let i = 0; i < QUEUE_PAGE_SIZE + 5; i++) {
        const c = await insertComment(db, first.id, { status: 'held', createdAt: at });
        ids.add(`c.${c.id}`);
      }
      const page1 = await getQueue(db, moderator, consultation.slug, filter());
      expect(page1.items).toHaveLength(QUEUE_PAGE_SIZE);
      expect(page1.nextCursor).not.toBeNull();
      const page2 = await getQueue(db, moderator, consultation.slug, filter(), page1.nextCursor);
      expect(page2.items).toHaveLength(5);
      expect(page2.nextCursor).toBeNull();
      const seen = [...page1.items, ...page2.items].map((i) => i.ref);
      expect(new Set(seen)).toEqual(ids);
      expect(
        (await rejection(getQueue(db, moderator, consultation.slug, filter(), 'bogus'))).code,
      ).toBe('invalid');
    });

    test('a moderator confirms what reports hid, with a reason, and it leaves the queue', async () => {
      const { consultation, first, moderator } = await setup();
      const c = await insertComment(db, first.id);
      await reportTimes(consultation.slug, c.id, 3);
      const ref = `c.${c.id}`;
      expect((await getItem(db, moderator, consultation.slug, ref)).actions).toEqual([
        'approve',
        'hide',
        'restore',
        'redact',
        'escalate',
      ]);
      await decide(
        db,
        moderator,
        consultation.slug,
        ref,
        decision({ intent: 'hide', reason: 'abuse', seenSeq: 0, seenStatus: 'hidden' }),
        ctx(),
      );
      expect((await commentStatus(c.id)).status).toBe('hidden');
      expect((await getQueue(db, moderator, consultation.slug, filter())).total).toBe(0);
      // Readers are told a moderator decided, no longer that a review is pending.
      const reader = await createRespondent(db);
      const listed = await listComments(db, reader, consultation.slug, first.slug);
      expect(listed.comments.find((x) => x.id === c.id)?.notice).toBe(
        COMMENT_NOTICES.hiddenByModerator,
      );
    });

    test('hiding with a reason notifies the author with it, is audited, and restore brings it back', async () => {
      const { consultation, first, moderator } = await setup();
      const author = await createUser(db);
      const c = await insertComment(db, first.id, { authorId: author.id });
      await reportTimes(consultation.slug, c.id, 3);
      expect((await commentStatus(c.id)).status).toBe('hidden');
      const ref = `c.${c.id}`;

      await decide(
        db,
        moderator,
        consultation.slug,
        ref,
        decision({ intent: 'restore', seenSeq: 0, seenStatus: 'hidden' }),
        ctx(),
      );
      expect((await commentStatus(c.id)).status).toBe('visible');
      await decide(
        db,
        moderator,
        consultation.slug,
        ref,
        decision({
          intent: 'hide',
          reason: 'personal_data',
          note: 'It names a private individual.',
          seenSeq: 1,
          seenStatus: 'visible',
        }),
        ctx(),
      );
      expect((await commentStatus(c.id)).status).toBe('hidden');
      // Hidden by a moderator, it is decided: hiding it again is refused, and it leaves the queue.
      const again = await rejection(
        decide(
          db,
          moderator,
          consultation.slug,
          ref,
          decision({ intent: 'hide', reason: 'abuse', seenSeq: 2, seenStatus: 'hidden' }),
          ctx(),
        ),
      );
      expect(again.code).toBe('invalid');
      const queue = await getQueue(db, moderator, consultation.slug, filter());
      expect(queue.items.some((i) => i.ref === ref)).toBe(false);

      const messages = await listNotifications(db, author.id);
      expect(messages.items[0]!.subject).toMatch(/was hidden/);
      expect(messages.items[0]!.body).toContain('personal information');
      expect(messages.items[0]!.body).toContain('It names a private individual.');
      expect(messages.items).toHaveLength(2);

      const actions = (await auditActions(consultation.id)).map((a) => a.action);
      expect(actions).toEqual(['comment.auto_hidden', 'moderation.restore', 'moderation.hide']);
      const item = await getItem(db, moderator, consultation.slug, ref);
      expect(item.history.map((h) => h.action)).toEqual(['restore', 'hide']);
      expect(item.actions).toContain('restore');
    });

    test('after a restore, the comment is hidden again only by as many new reports as the threshold', async () => {
      const { consultation, first, moderator } = await setup();
      const c = await insertComment(db, first.id, { authorId: (await createUser(db)).id });
      await reportTimes(consultation.slug, c.id, 3);
      await decide(
        db,
        moderator,
        consultation.slug,
        `c.${c.id}`,
        decision({ intent: 'restore', seenSeq: 0, seenStatus: 'hidden' }),
        ctx(),
      );

      await reportTimes(consultation.slug, c.id, 2);
      expect((await commentStatus(c.id)).status).toBe('visible');
      await reportTimes(consultation.slug, c.id, 1);
      expect((await commentStatus(c.id)).status).toBe('hidden');
    });

    test('approve publishes a held comment; escalate passes it to organisers; undo restores the previous state', async () => {
      const { consultation, first, moderator } = await setup();
      const organiser = await createOrganiser(db);
      const held = await insertComment(db, first.id, { status: 'held' });
      const ref = `c.${held.id}`;
      const escalated = await decide(
        db,
        moderator,
        consultation.slug,
        ref,
        decision({
          intent: 'escalate',
          note: 'Not sure this is allowed.',
          seenSeq: 0,
          seenStatus: 'held',
        }),
        ctx(),
      );
      expect((await commentStatus(held.id)).escalated_at).not.toBeNull();
      const told = await listNotifications(db, organiser.id);
      expect(told.items[0]).toMatchObject({
        kind: 'moderation.comment.escalated_to_you',
        link: `/moderation/${consultation.slug}/items/${ref}`,
      });
      expect(told.items[0]!.body).toContain('Not sure this is allowed.');
      let queue = await getQueue(db, organiser, consultation.slug, filter({ state: 'escalated' }));
      expect(queue.items.map((i) => i.ref)).toEqual([ref]);

      // Undo the escalation: back to held, not escalated.
      await decide(
        db,
        moderator,
        consultation.slug,
        ref,
        decision({
          intent: 'undo',
          decisionId: escalated.decisionId,
          seenSeq: 1,
          seenStatus: 'held',
        }),
        ctx(),
      );
      expect(await commentStatus(held.id)).toMatchObject({ status: 'held', escalated_at: null });

      await decide(
        db,
        organiser,
        consultation.slug,
        ref,
        decision({ intent: 'approve', seenSeq: 2, seenStatus: 'held' }),
        ctx(),
      );
      expect((await commentStatus(held.id)).status).toBe('visible');
      queue = await getQueue(db, organiser, consultation.slug, filter());
      expect(queue.total).toBe(0);

      // An undo of an earlier decision than the latest is refused.
      expect(
        (
          await rejection(
            decide(
              db,
              organiser,
              consultation.slug,
              ref,
              decision({
                intent: 'undo',
                decisionId: escalated.decisionId,
                seenSeq: 3,
                seenStatus: 'visible',
              }),
              ctx(),
            ),
          )
        ).message,
      ).toMatch(/Only the latest decision/);

      const rows = await db
        .selectFrom('moderation_decisions')
        .select(['seq', 'action', 'status_before', 'status_after', 'undoes_id'])
        .where('item_key', '=', ref)
        .orderBy('seq')
        .execute();
      expect(rows.map((r) => [r.seq, r.action, r.status_before, r.status_after])).toEqual([
        [1, 'escalate', 'held', 'held'],
        [2, 'undo', 'held', 'held'],
        [3, 'approve', 'held', 'visible'],
      ]);
      expect(rows[1]!.undoes_id).toBe(escalated.decisionId);
    });

    test('redaction keeps the original for organisers only, and undo puts the original back', async () => {
      const { consultation, first, moderator } = await setup();
      const organiser = await createOrganiser(db);
      const original = 'Call Jane on 07700 900123 about this.';
      const c = await insertComment(db, first.id, { body: original });
      await reportTimes(consultation.slug, c.id, 1);
      const ref = `c.${c.id}`;
      const redacted = await decide(
        db,
        moderator,
        consultation.slug,
        ref,
        decision({
          intent: 'redact',
          body: 'Call [removed] about this.',
          reason: 'personal_data',
          seenSeq: 0,
          seenStatus: 'visible',
        }),
        ctx(),
      );
      expect((await commentStatus(c.id)).body).toBe('Call [removed] about this.');
      const asModerator = await getItem(db, moderator, consultation.slug, ref);
      expect(asModerator.history[0]!.originalBody).toBeNull();
      const asOrganiser = await getItem(db, organiser, consultation.slug, ref);
      expect(asOrganiser.history[0]!.originalBody).toBe(original);

      await decide(
        db,
        organiser,
        consultation.slug,
        ref,
        decision({
          intent: 'undo',
          decisionId: redacted.decisionId,
          seenSeq: 1,
          seenStatus: 'visible',
        }),
        ctx(),
      );
      expect((await commentStatus(c.id)).body).toBe(original);
      // Nothing is ever destroyed: both decisions remain, and rows cannot be rewritten.
      await expect(
        db
          .updateTable('moderation_decisions')
          .set({ note: 'changed' })
          .where('item_key', '=', ref)
          .execute(),
      ).rejects.toThrow(/append-only/);
    });

    test('two moderators deciding at once: exactly one wins, the other is told, both are audited', async () => {
      const { consultation, first, moderator } = await setup();
      const secondUser = await createUser(db);
      await grantRole(db, secondUser.id, 'moderator', consultation.id);
      const other = await makeViewer(db, secondUser.id);
      const c = await insertComment(db, first.id, { status: 'held' });
      const ref = `c.${c.id}`;
      const settled = await Promise.allSettled([
        decide(
          db,
          moderator,
          consultation.slug,
          ref,
          decision({ intent: 'approve', seenSeq: 0, seenStatus: 'held' }),
          ctx(),
        ),
        decide(
          db,
          other,
          consultation.slug,
          ref,
          decision({ intent: 'hide', reason: 'spam', seenSeq: 0, seenStatus: 'held' }),
          ctx(),
        ),
      ]);
      const won = settled.filter((s) => s.status === 'fulfilled');
      const lost = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(DomainError);
      expect((lost[0] as DomainError).code).toBe('conflict');
      expect((lost[0] as DomainError).message).toBe(SOMEONE_ELSE_FIRST);
      const decisions = await db
        .selectFrom('moderation_decisions')
        .select('action')
        .where('item_key', '=', ref)
        .execute();
      expect(decisions).toHaveLength(1);
      const audit = await auditActions(consultation.id);
      expect(
        audit
          .filter((a) => a.target_id === ref)
          .map((a) => a.action)
          .sort(),
      ).toEqual(['moderation.decision_refused', `moderation.${decisions[0]!.action}`].sort());
      expect(new Set(audit.filter((a) => a.target_id === ref).map((a) => a.actor_id))).toEqual(
        new Set([moderator.id, other.id]),
      );
    });

    test('a stale page is refused: deciding on what you did not see is a conflict', async () => {
      const { consultation, first, moderator } = await setup();
      const c = await insertComment(db, first.id);
      await reportTimes(consultation.slug, c.id, 1);
      // The comment was auto-hidden after the moderator loaded it as visible.
      await reportTimes(consultation.slug, c.id, 2);
      const error = await rejection(
        decide(
          db,
          moderator,
          consultation.slug,
          `c.${c.id}`,
          decision({ intent: 'approve', seenSeq: 0, seenStatus: 'visible' }),
          ctx(),
        ),
      );
      expect(error.code).toBe('conflict');
    });

    test('bulk hide takes a spam wave down in one go and skips what changed', async () => {
      const { consultation, first, moderator } = await setup();
      const spam = [];
      for (let i = 0; i < 4; i++) spam.push(await insertComment(db, first.id, { status: 'held' }));
      const own = await insertComment(db, first.id, { status: 'held', authorId: moderator.id });
      const form: Record<string, string> = { intent: 'hide', reason: 'spam' };
      for (const c of spam) form[`item:c.${c.id}`] = '0:held';
      form[`item:c.${spam[0]!.id}`] = '0:visible'; // seen before it changed
      form[`item:c.${own.id}`] = '0:held';
      const result = await decideBulk(
        db,
        moderator,
        consultation.slug,
        BulkDecisionSchema.parse(form),
        ctx(),
      );
      expect(result).toEqual({ applied: 3, skipped: 2 });
      for (const c of spam.slice(1)) expect((await commentStatus(c.id)).status).toBe('hidden');
      expect((await commentStatus(spam[0]!.id)).status).toBe('held');
      expect((await commentStatus(own.id)).status).toBe('held');
      const bulkRows = await db
        .selectFrom('moderation_decisions')
        .select('bulk')
        .where('consultation_id', '=', consultation.id)
        .execute();
      expect(bulkRows.every((r) => r.bulk)).toBe(true);
      // A bulk hide needs a reason, and a selection.
      expect(
        BulkDecisionSchema.safeParse({ intent: 'hide', [`item:c.${own.id}`]: '0:held' }).success,
      ).toBe(false);
      expect(BulkDecisionSchema.safeParse({ intent: 'approve' }).success).toBe(false);
      expect(
        BulkDecisionSchema.safeParse({ intent: 'approve', 'item:c.nope': '0:held' }).success,
      ).toBe(false);
    });

    test('access: anonymous must sign in, a respondent is refused and logged, another consultation is hidden', async () => {
      const { consultation, first, moderator } = await setup();
      const elsewhere = await setup();
      const respondent = await createRespondent(db);
      const c = await insertComment(db, first.id, { status: 'held' });
      const foreign = await insertComment(db, elsewhere.first.id, { status: 'held' });
      const approve = decision({ intent: 'approve', seenSeq: 0, seenStatus: 'held' });

      expect((await rejection(getQueue(db, null, consultation.slug, filter()))).code).toBe(
        'unauthenticated',
      );
      expect((await rejection(getQueue(db, respondent, consultation.slug, filter()))).code).toBe(
        'forbidden',
      );
      expect(
        (await rejection(decide(db, respondent, consultation.slug, `c.${c.id}`, approve, ctx())))
          .code,
      ).toBe('forbidden');
      const refusals = (await auditActions(consultation.id)).filter(
        (a) => a.action === 'moderation.refused',
      );
      expect(refusals.map((a) => a.actor_id)).toEqual([respondent.id]);

      // The moderator of another consultation cannot reach this one at all.
      expect(
        (
          await rejection(
            decide(db, elsewhere.moderator, consultation.slug, `c.${c.id}`, approve, ctx()),
          )
        ).code,
      ).toBe('forbidden');
      // An item of another consultation does not exist under this one.
      expect(
        (
          await rejection(
            decide(db, moderator, consultation.slug, `c.${foreign.id}`, approve, ctx()),
          )
        ).code,
      ).toBe('not_found');
      expect(
        (await rejection(getItem(db, moderator, consultation.slug, `c.${foreign.id}`))).code,
      ).toBe('not_found');
      expect(
        (await rejection(getItem(db, moderator, consultation.slug, 'c.not-a-uuid'))).code,
      ).toBe('not_found');
      expect((await commentStatus(foreign.id)).status).toBe('held');
    });

    test('a moderator cannot moderate their own comment', async () => {
      const { consultation, first, moderator } = await setup();
      const mine = await insertComment(db, first.id, { status: 'held', authorId: moderator.id });
      const error = await rejection(
        decide(
          db,
          moderator,
          consultation.slug,
          `c.${mine.id}`,
          decision({ intent: 'approve', seenSeq: 0, seenStatus: 'held' }),
          ctx(),
        ),
      );
      expect(error.code).toBe('forbidden');
      expect((await getItem(db, moderator, consultation.slug, `c.${mine.id}`)).actions).toEqual([]);
      const actions = (await auditActions(consultation.id)).map((a) => a.action);
      expect(actions).toContain('moderation.decision_refused');
      expect((await commentStatus(mine.id)).status).toBe('held');
    });

    test('pre-moderation holds new comments and quotable reasons until a moderator approves them', async () => {
      const { consultation, first, moderator } = await setup();
      const organiser = await createOrganiser(db);
      const policy = await getPolicy(db, organiser, consultation.slug);
      expect(policy.mode).toBe('post');
      await updatePolicy(
        db,
        organiser,
        consultation.slug,
        PolicySchema.parse({
          mode: 'pre',
          reportThreshold: '2',
          houseRules: '## Be kind\n\nNo <script>alert(1)</script> personal attacks.',
          version: String(policy.version),
        }),
        ctx(),
      );
      const rules = await getHouseRules(db, consultation.slug);
      expect(rules).toContain('<h3>Be kind</h3>');
      expect(rules).not.toContain('<script');

      const author = await createRespondent(db);
      const posted = await postComment(
        db,
        author,
        consultation.slug,
        first.slug,
        CommentSchema.parse({ body: 'A perfectly reasonable comment.' }),
        ctx(),
      );
      expect(posted).toMatchObject({ status: 'held', heldReason: 'pre_moderation' });
      const stranger = await createRespondent(db);
      const listed = await listComments(db, stranger, consultation.slug, first.slug);
      expect(listed.comments.some((c) => c.id === posted.id)).toBe(false);

      const respondent = await createRespondent(db);
      await saveAnswer(
        db,
        respondent,
        consultation.slug,
        first.slug,
        AnswerSchema.parse({
          stance: 'support',
          importance: '',
          reasons: 'It would help us hire.',
          changeMind: '',
        }),
      );
      await submitChoosingPublishing(db, respondent, consultation.slug, randomUUID());

      const queue = await getQueue(db, moderator, consultation.slug, filter());
      expect(queue.counts).toMatchObject({ held: 1, pending_quote: 1 });
      const quote = queue.items.find((i) => i.type === 'quote')!;
      await decide(
        db,
        moderator,
        consultation.slug,
        quote.ref,
        decision({ intent: 'approve', seenSeq: 0, seenStatus: 'pending' }),
        ctx(),
      );
      const answer = await db
        .selectFrom('submitted_answers')
        .select('quote_status')
        .where('recommendation_id', '=', first.id)
        .executeTakeFirstOrThrow();
      expect(answer.quote_status).toBe('published');
      expect((await listNotifications(db, respondent.id)).items[0]!.subject).toMatch(/approved/);

      const held = queue.items.find((i) => i.type === 'comment')!;
      await decide(
        db,
        moderator,
        consultation.slug,
        held.ref,
        decision({ intent: 'approve', seenSeq: 0, seenStatus: 'held' }),
        ctx(),
      );
      const after = await listComments(db, stranger, consultation.slug, first.slug);
      expect(after.comments.some((c) => c.id === posted.id)).toBe(true);

      const audit = (await auditActions(consultation.id)).map((a) => a.action);
      expect(audit).toContain('consultation.moderation_policy_changed');
    });

    async function quoteStatus(recommendationId: string, responseUserId: string) {
      const row = await db
        .selectFrom('submitted_answers')
        .innerJoin('responses', 'responses.id', 'submitted_answers.response_id')
        .select(['quote_status', 'submitted_answers.response_id'])
        .where('submitted_answers.recommendation_id', '=', recommendationId)
        .where('responses.user_id', '=', responseUserId)
        .executeTakeFirstOrThrow();
      return row;
    }

    function answer(reasons: string) {
      return AnswerSchema.parse({ stance: 'oppose', importance: '', reasons, changeMind: '' });
    }

    test('resubmitting cannot bring back hidden reasons; changed reasons go back for review', async () => {
      const { consultation, first, second, moderator } = await setup();
      const me = await createRespondent(db);
      await saveAnswer(db, me, consultation.slug, first.slug, answer('Call Sam on 07700 900111.'));
      await saveAnswer(db, me, consultation.slug, second.slug, answer('Fine as it is.'));
      await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      const { response_id } = await quoteStatus(first.id, me.id);
      await decide(
        db,
        moderator,
        consultation.slug,
        `q.${response_id}.${first.id}`,
        decision({ intent: 'hide', reason: 'personal_data', seenSeq: 0, seenStatus: 'published' }),
        ctx(),
      );
      // Another answer changes; the hidden reasons do not.
      await saveAnswer(db, me, consultation.slug, second.slug, answer('Fine, with one change.'));
      await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      expect((await quoteStatus(first.id, me.id)).quote_status).toBe('hidden');
      expect((await quoteStatus(second.id, me.id)).quote_status).toBe('published');
      // New wording of hidden reasons waits for a moderator rather than going straight out.
      await saveAnswer(db, me, consultation.slug, first.slug, answer('Talk to the team lead.'));
      await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      expect((await quoteStatus(first.id, me.id)).quote_status).toBe('pending');
      const queue = await getQueue(
        db,
        moderator,
        consultation.slug,
        filter({ state: 'pending_quote' }),
      );
      expect(queue.items.map((i) => i.ref)).toEqual([`q.${response_id}.${first.id}`]);
    });

    test('pre-moderation: approved reasons stay approved on resubmission; going public from private needs review', async () => {
      const { consultation, first, moderator } = await setup();
      await db
        .updateTable('consultations')
        .set({ moderation_mode: 'pre' })
        .where('id', '=', consultation.id)
        .execute();
      const me = await createRespondent(db);
      await saveAnswer(db, me, consultation.slug, first.slug, answer('Too slow for small firms.'));
      await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      const { response_id } = await quoteStatus(first.id, me.id);
      expect((await quoteStatus(first.id, me.id)).quote_status).toBe('pending');
      await decide(
        db,
        moderator,
        consultation.slug,
        `q.${response_id}.${first.id}`,
        decision({ intent: 'approve', seenSeq: 0, seenStatus: 'pending' }),
        ctx(),
      );
      await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      expect((await quoteStatus(first.id, me.id)).quote_status).toBe('published');

      const quiet = await createRespondent(db);
      await saveAnswer(db, quiet, consultation.slug, first.slug, answer('Keep this between us.'));
      await saveFinalStep(db, quiet, consultation.slug, {
        overallComments: null,
        consent: 'private',
      });
      await submitChoosingPublishing(db, quiet, consultation.slug, randomUUID());
      // Private reasons are never quoted, so nothing waited for review.
      expect((await quoteStatus(first.id, quiet.id)).quote_status).toBe('published');
      await changeConsent(db, quiet, consultation.slug, 'named', ctx());
      expect((await quoteStatus(first.id, quiet.id)).quote_status).toBe('pending');
    });

    test('a quote item shows the reasons, the respondent and the publishing choice; it cannot be redacted', async () => {
      const { consultation, first, moderator } = await setup();
      const me = await createRespondent(db, { displayName: 'Quoted Person' });
      await saveAnswer(
        db,
        me,
        consultation.slug,
        first.slug,
        answer('Procurement rules shut us out.'),
      );
      await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      const { response_id } = await quoteStatus(first.id, me.id);
      const ref = `q.${response_id}.${first.id}`;
      const item = await getItem(db, moderator, consultation.slug, ref);
      expect(item.item).toMatchObject({ type: 'quote', status: 'published', needsReview: false });
      expect(item.item.bodyHtml).toContain('Procurement rules shut us out.');
      expect(item.quote).toMatchObject({ consent: 'anonymous', stance: 'oppose' });
      expect(item.actions).toEqual(['hide', 'escalate']);
      const error = await rejection(
        decide(
          db,
          moderator,
          consultation.slug,
          ref,
          decision({
            intent: 'redact',
            body: 'Procurement rules.',
            reason: 'other',
            seenSeq: 0,
            seenStatus: 'published',
          }),
          ctx(),
        ),
      );
      expect(error.message).toMatch(/Only comments can be edited/);
      // A quote of another consultation, or of a recommendation it was not given on, is not found.
      expect(
        (
          await rejection(
            getItem(db, moderator, consultation.slug, `q.${response_id}.${randomUUID()}`),
          )
        ).code,
      ).toBe('not_found');
    });

    test('policy: only organisers change it, against the version they saw', async () => {
      const { consultation, moderator } = await setup();
      const organiser = await createOrganiser(db);
      const input = PolicySchema.parse({
        mode: 'post',
        reportThreshold: '5',
        houseRules: '',
        version: '1',
      });
      expect(
        (await rejection(updatePolicy(db, moderator, consultation.slug, input, ctx()))).code,
      ).toBe('forbidden');
      expect((await rejection(getPolicy(db, moderator, consultation.slug))).code).toBe('forbidden');
      const { version } = await getPolicy(db, organiser, consultation.slug);
      await updatePolicy(db, organiser, consultation.slug, { ...input, version }, ctx());
      expect((await getPolicy(db, organiser, consultation.slug)).reportThreshold).toBe(5);
      expect(
        (
          await rejection(
            updatePolicy(
              db,
              organiser,
              consultation.slug,
              { ...input, reportThreshold: 4, version },
              ctx(),
            ),
          )
        ).code,
      ).toBe('conflict');
      expect(PolicySchema.safeParse({ ...input, reportThreshold: '0', version: '1' }).success).toBe(
        false,
      );
    });

    test('a viewer of a comment page is unaffected: decisions never delete comments', async () => {
      const { consultation, first, moderator } = await setup();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++)
        ids.push((await insertComment(db, first.id, { status: 'held' })).id);
      const form: Record<string, string> = { intent: 'approve' };
      for (const id of ids) form[`item:c.${id}`] = '0:held';
      await decideBulk(db, moderator, consultation.slug, BulkDecisionSchema.parse(form), ctx());
      const count = await db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('id', 'in', ids)
        .where('status', '=', 'visible')
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(3);
      const viewer: Viewer = await createRespondent(db);
      const listed = await listComments(db, viewer, consultation.slug, first.slug);
      expect(listed.visibleCount).toBe(3);
    });
  });
}

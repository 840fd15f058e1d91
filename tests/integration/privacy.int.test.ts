import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { recordAudit } from '~/.server/audit';
import { endorse } from '~/.server/endorsements';
import { DomainError } from '~/.server/errors';
import { queueEmail } from '~/.server/mail';
import {
  deleteAccount,
  describeDeletion,
  ERASED_TEXT,
  exportMyData,
  FORMER_PARTICIPANT,
  getConsultationNotice,
  purgeExpiredPersonalData,
  TOMBSTONE_BODY,
  TOMBSTONE_NAME,
  updateConsultationNotice,
} from '~/.server/privacy';
import { checkResults } from '~/.server/results';
import { writeSubmittedResponse } from '~/.server/responses/submitted';
import { EndorseSchema } from '~/lib/schemas/discussion';
import { PrivacyNoticeSchema } from '~/lib/schemas/privacy';
import { DEFAULT_NOTICE } from '~/lib/privacy';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createUser,
  ctx,
  insertComment,
  makeViewer,
  profileSnapshotOf,
  TEST_PASSWORD,
} from '#tests/support/factories';
import { insertAnsweredResponse } from '#tests/support/results';

const DAY = 24 * 60 * 60 * 1000;
const REASONS = 'Founders like me need this because hiring is slow and costly for small teams';

async function openConsultation(db: Kysely<DB>, policy: 'erase' | 'anonymise') {
  const consultation = await createConsultation(db, { status: 'open', deletion_policy: policy });
  const recommendation = await createRecommendation(db, consultation.id);
  return { consultation, recommendation };
}

/** Someone's full participation: responses in both kinds of consultation, a comment with a reply, a vote, an endorsement. */
async function participate(db: Kysely<DB>) {
  const erase = await openConsultation(db, 'erase');
  const keep = await openConsultation(db, 'anonymise');
  const answers = (recommendationId: string) => [
    { recommendationId, stance: 'support' as const, importance: 4, reasons: REASONS },
  ];
  const mine = await insertAnsweredResponse(db, erase.consultation.id, {
    consent: 'named',
    displayName: 'Ada Example',
    answers: answers(erase.recommendation.id),
  });
  const userId = mine.userId;
  // The same person answers the second consultation.
  const second = await writeSubmittedResponse(db, {
    consultationId: keep.consultation.id,
    userId,
    snapshot: {
      profile: await profileSnapshotOf(db, userId),
      consent: 'named',
      overallComments: 'I am Ada, founder of Example Ltd in Leeds',
      answers: [
        {
          recommendationId: keep.recommendation.id,
          stance: 'oppose',
          importance: 5,
          reasons: REASONS,
          changeMind: null,
        },
      ],
    },
    quoteStatuses: { [keep.recommendation.id]: 'published' },
  });
  // Others take part too, so the results are not all hers.
  const other = await insertAnsweredResponse(db, keep.consultation.id, {
    answers: answers(keep.recommendation.id),
  });
  const viewer = await makeViewer(db, userId);
  const otherViewer = await makeViewer(db, other.userId);
  await endorse(
    db,
    viewer,
    keep.consultation.slug,
    keep.recommendation.slug,
    EndorseSchema.parse({ intent: 'endorse', showName: 'on' }),
    ctx(),
  );
  await endorse(
    db,
    otherViewer,
    keep.consultation.slug,
    keep.recommendation.slug,
    EndorseSchema.parse({ intent: 'endorse', showName: 'on' }),
    ctx(),
  );
  const comment = await insertComment(db, keep.recommendation.id, {
    authorId: userId,
    body: 'My name is Ada and I think this is right',
  });
  const reply = await insertComment(db, keep.recommendation.id, {
    authorId: other.userId,
    parentId: comment.id,
    body: 'A reply that must stay readable',
  });
  await db.insertInto('comment_votes').values({ comment_id: reply.id, user_id: userId }).execute();
  await db.updateTable('comments').set({ helpful_count: 1 }).where('id', '=', reply.id).execute();
  await recordAudit(db, {
    actorId: userId,
    action: 'account.created',
    targetType: 'user',
    targetId: userId,
    after: { segment: 'founder' },
  });
  await recordAudit(db, {
    actorId: userId,
    action: 'response.consent_changed',
    targetType: 'response',
    targetId: second.responseId,
    consultationId: keep.consultation.id,
    before: { consent: 'anonymous' },
    after: { consent: 'named' },
  });
  return {
    userId,
    viewer,
    erase,
    keep,
    erasedResponseId: mine.responseId,
    keptResponseId: second.responseId,
    otherResponseId: other.responseId,
    commentId: comment.id,
    replyId: reply.id,
  };
}

for (const backend of BACKENDS) {
  describe(`${backend}: privacy`, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t.destroy());

    test('deleting an account erases or anonymises each response by its consultation policy, and the rollups still equal a rebuild', async () => {
      const p = await participate(db);
      expect(await checkResults(db)).toEqual([]);
      const plan = await describeDeletion(db, p.viewer);
      expect(plan.responses.map((r) => r.outcome).sort()).toEqual(['anonymise', 'erase']);

      const summary = await deleteAccount(
        db,
        p.viewer,
        { password: TEST_PASSWORD, confirm: 'yes' },
        ctx(),
      );

      expect(summary).toMatchObject({
        responsesErased: 1,
        responsesAnonymised: 1,
        comments: 1,
        endorsements: 1,
        votes: 1,
      });
      expect(await checkResults(db)).toEqual([]);
      const erased = await db
        .selectFrom('responses')
        .select('id')
        .where('id', '=', p.erasedResponseId)
        .execute();
      expect(erased).toEqual([]);
      const kept = await db
        .selectFrom('responses')
        .selectAll()
        .where('id', '=', p.keptResponseId)
        .executeTakeFirstOrThrow();
      expect(kept).toMatchObject({
        user_id: null,
        display_name: null,
        organisation: null,
        submitted_overall_comments: null,
        consent: 'anonymous',
        status: 'submitted',
        segment: 'founder',
      });
      const keptAnswer = await db
        .selectFrom('submitted_answers')
        .selectAll()
        .where('response_id', '=', p.keptResponseId)
        .executeTakeFirstOrThrow();
      expect(keptAnswer).toMatchObject({ stance: 'oppose', importance: 5, reasons: null });
      expect(
        await db
          .selectFrom('response_versions')
          .select('id')
          .where('response_id', '=', p.keptResponseId)
          .execute(),
      ).toEqual([]);
      // Still counted: the anonymised response and the other person's.
      const counted = await db
        .selectFrom('result_answer_counts')
        .select(sql<number>`sum(answers)::int`.as('n'))
        .where('recommendation_id', '=', p.keep.recommendation.id)
        .executeTakeFirstOrThrow();
      expect(counted.n).toBe(2);
      const erasedCounted = await db
        .selectFrom('result_answer_counts')
        .select(sql<number>`coalesce(sum(answers), 0)::int`.as('n'))
        .where('recommendation_id', '=', p.erase.recommendation.id)
        .executeTakeFirstOrThrow();
      expect(erasedCounted.n).toBe(0);

      expect(
        await db.selectFrom('users').select('id').where('id', '=', p.userId).execute(),
      ).toEqual([]);
      expect(
        await db.selectFrom('sessions').select('id').where('user_id', '=', p.userId).execute(),
      ).toEqual([]);
    });

    test('a deleted account leaves comment tombstones that keep their replies, and takes its votes and endorsements off the counts', async () => {
      const p = await participate(db);
      await deleteAccount(db, p.viewer, { password: TEST_PASSWORD, confirm: 'yes' }, ctx());

      const comment = await db
        .selectFrom('comments')
        .selectAll()
        .where('id', '=', p.commentId)
        .executeTakeFirstOrThrow();
      expect(comment).toMatchObject({
        status: 'deleted',
        body: TOMBSTONE_BODY,
        author_id: null,
        author_display_name: TOMBSTONE_NAME,
        reply_count: 1,
      });
      const reply = await db
        .selectFrom('comments')
        .selectAll()
        .where('id', '=', p.replyId)
        .executeTakeFirstOrThrow();
      expect(reply).toMatchObject({
        status: 'visible',
        parent_id: p.commentId,
        body: 'A reply that must stay readable',
        helpful_count: 0,
      });
      const endorsements = await db
        .selectFrom('endorsements')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('recommendation_id', '=', p.keep.recommendation.id)
        .executeTakeFirstOrThrow();
      const counts = await db
        .selectFrom('endorsement_counts')
        .select(sql<number>`coalesce(sum(count), 0)::int`.as('n'))
        .where('recommendation_id', '=', p.keep.recommendation.id)
        .executeTakeFirstOrThrow();
      expect(endorsements.n).toBe(1);
      expect(counts.n).toBe(1);
      expect(await checkResults(db)).toEqual([]);
    });

    test('the audit log keeps what a deleted account did under a pseudonym, never its id', async () => {
      const p = await participate(db);
      const summary = await deleteAccount(
        db,
        p.viewer,
        { password: TEST_PASSWORD, confirm: 'yes' },
        ctx(),
      );

      const byId = await db
        .selectFrom('audit_events')
        .select('id')
        .where((w) => w.or([w('actor_id', '=', p.userId), w('target_id', '=', p.userId)]))
        .execute();
      expect(byId).toEqual([]);
      const byPseudonym = await db
        .selectFrom('audit_events')
        .select(['action', 'target_id', 'before', 'after'])
        .where('actor_id', '=', summary.pseudonym)
        .orderBy('id')
        .execute();
      expect(byPseudonym.map((e) => e.action)).toEqual([
        'account.created',
        'response.consent_changed',
        // One for each submitted response, in its consultation's log.
        'response.withdrawn',
        'response.withdrawn',
        'account.deleted',
      ]);
      // Details recorded about the person go; what was done to the response stays.
      expect(byPseudonym[0]).toMatchObject({ target_id: summary.pseudonym, after: null });
      expect(byPseudonym[1]).toMatchObject({ target_id: p.keptResponseId });
      // Outside an erasure the log is as append-only as before.
      await expect(
        db
          .updateTable('audit_events')
          .set({ actor_id: null })
          .where('actor_id', '=', summary.pseudonym)
          .execute(),
      ).rejects.toThrow(/append-only/);
    });

    test("a moderator's account can be deleted: their decisions stay, without their id, and the comment's texts go", async () => {
      const p = await participate(db);
      const moderator = await createUser(db, { segment: 'other', segmentOther: 'Moderator' });
      const decision = await db
        .insertInto('moderation_decisions')
        .values({
          consultation_id: p.keep.consultation.id,
          item_type: 'comment',
          comment_id: p.commentId,
          recommendation_id: p.keep.recommendation.id,
          item_key: `c.${p.commentId}`,
          seq: 1,
          action: 'redact',
          status_before: 'visible',
          status_after: 'visible',
          escalated_before: false,
          escalated_after: false,
          body_before: 'My name is Ada and I think this is right',
          body_after: 'I think this is right',
          decided_by: moderator.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deleteAccount(
        db,
        await makeViewer(db, moderator.id),
        { password: TEST_PASSWORD, confirm: 'yes' },
        ctx(),
      );
      const kept = await db
        .selectFrom('moderation_decisions')
        .select(['action', 'decided_by', 'body_before'])
        .where('id', '=', decision.id)
        .executeTakeFirstOrThrow();
      expect(kept).toEqual({
        action: 'redact',
        decided_by: null,
        body_before: 'My name is Ada and I think this is right',
      });
      // The author's deletion then removes the texts but keeps the decision.
      await deleteAccount(db, p.viewer, { password: TEST_PASSWORD, confirm: 'yes' }, ctx());
      expect(
        await db
          .selectFrom('moderation_decisions')
          .select(['action', 'body_before', 'body_after'])
          .where('id', '=', decision.id)
          .executeTakeFirstOrThrow(),
      ).toEqual({ action: 'redact', body_before: ERASED_TEXT, body_after: ERASED_TEXT });
      await expect(
        db
          .updateTable('moderation_decisions')
          .set({ note: 'rewritten' })
          .where('id', '=', decision.id)
          .execute(),
      ).rejects.toThrow(/append-only/);
    });

    test('deleting an account needs the right password, and changes nothing without it', async () => {
      const p = await participate(db);
      const refused = await deleteAccount(
        db,
        p.viewer,
        { password: 'not my password', confirm: 'yes' },
        ctx(),
      ).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).fieldErrors.password).toEqual(['The password is not right']);
      expect(
        await db.selectFrom('users').select('id').where('id', '=', p.userId).execute(),
      ).toHaveLength(1);
      expect(
        await db.selectFrom('responses').select('id').where('user_id', '=', p.userId).execute(),
      ).toHaveLength(2);
    });

    test('two deletions at once delete once; the second finds no account', async () => {
      const p = await participate(db);
      const results = await Promise.allSettled([
        deleteAccount(db, p.viewer, { password: TEST_PASSWORD, confirm: 'yes' }, ctx()),
        deleteAccount(db, p.viewer, { password: TEST_PASSWORD, confirm: 'yes' }, ctx()),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((failure.reason as DomainError).code).toBe('unauthenticated');
      const deletions = await db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'account.deleted')
        .where(
          'actor_id',
          '=',
          (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{
            pseudonym: string;
          }>)!.value.pseudonym,
        )
        .execute();
      expect(deletions).toHaveLength(1);
      expect(await checkResults(db)).toEqual([]);
    });

    test('the data download holds the account, responses with receipts, comments, endorsements and votes, and no secrets', async () => {
      const p = await participate(db);
      const data = await exportMyData(db, p.viewer);
      expect(data.account.id).toBe(p.userId);
      expect(data.responses).toHaveLength(2);
      const kept = data.responses.find((r) => r.id === p.keptResponseId)!;
      expect(kept.submittedAnswers[0]).toMatchObject({ stance: 'oppose', reasons: REASONS });
      expect(kept.receipts).toHaveLength(1);
      expect(data.comments.map((c) => c.id)).toEqual([p.commentId]);
      expect(data.endorsements).toHaveLength(1);
      expect(data.helpfulVotes.map((v) => v.comment_id)).toEqual([p.replyId]);
      const text = JSON.stringify(data);
      expect(text).not.toContain('password_hash');
      expect(text).not.toContain('$argon2');
      for (const s of await db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', p.userId)
        .execute()) {
        expect(text).not.toContain(s.id);
      }
    });

    test('emails to a deleted account leave the outbox; the download lists them without their bodies', async () => {
      const p = await participate(db);
      const { email } = await db
        .selectFrom('users')
        .select('email')
        .where('id', '=', p.userId)
        .executeTakeFirstOrThrow();
      await queueEmail(db, {
        userId: p.userId,
        to: email,
        kind: 'response.copy',
        subject: 'Your response',
        text: `Your answers: ${REASONS}`,
      });
      const other = await createUser(db);
      await queueEmail(db, {
        userId: other.id,
        to: other.email,
        kind: 'response.copy',
        subject: 'Your response',
        text: 'Someone else',
      });

      const data = await exportMyData(db, p.viewer);
      expect(data.emails).toEqual([
        expect.objectContaining({ kind: 'response.copy', to_address: email, sent_at: null }),
      ]);
      expect(JSON.stringify(data.emails)).not.toContain(REASONS);

      await deleteAccount(db, p.viewer, { password: TEST_PASSWORD, confirm: 'yes' }, ctx());
      const left = await db.selectFrom('email_outbox').select(['to_address']).execute();
      expect(left.map((e) => e.to_address)).not.toContain(email);
      expect(left.map((e) => e.to_address)).toContain(other.email);
    });

    test('a consultation notice uses its own parts and the site defaults for the rest', async () => {
      const c = await createConsultation(db, {
        status: 'open',
        privacy_controller: 'Example Policy Unit',
        privacy_retention_months: 6,
      });
      const { notice, ownParts } = await getConsultationNotice(db, c.slug);
      expect(notice.controller).toBe('Example Policy Unit');
      expect(notice.retentionMonths).toBe(6);
      expect(notice.lawfulBasis).toBe(DEFAULT_NOTICE.lawfulBasis);
      expect(ownParts).toMatchObject({ controller: true, lawfulBasis: false, retention: true });
      const draft = await createConsultation(db);
      await expect(getConsultationNotice(db, draft.slug)).rejects.toThrow(DomainError);
    });

    test('organisers set a notice, audited; others may not; an opened erase policy cannot be weakened', async () => {
      const organiser = await createOrganiser(db);
      const c = await createConsultation(db, { status: 'open', deletion_policy: 'erase' });
      const input = PrivacyNoticeSchema.parse({
        intent: 'privacy',
        controller: 'Example Policy Unit',
        retentionMonths: '12',
        contactEmail: 'Privacy@Example.org',
        deletionPolicy: 'erase',
      });
      await updateConsultationNotice(db, organiser, c.slug, input, ctx());
      const { notice } = await getConsultationNotice(db, c.slug);
      expect(notice).toMatchObject({
        controller: 'Example Policy Unit',
        retentionMonths: 12,
        contactEmail: 'privacy@example.org',
        deletionPolicy: 'erase',
      });
      const events = await db
        .selectFrom('audit_events')
        .select(['action', 'after'])
        .where('consultation_id', '=', c.id)
        .execute();
      expect(events).toEqual([
        {
          action: 'consultation.privacy_notice_changed',
          after: {
            privacy_controller: 'Example Policy Unit',
            privacy_retention_months: 12,
            privacy_contact_email: 'privacy@example.org',
          },
        },
      ]);
      const weakened = await updateConsultationNotice(
        db,
        organiser,
        c.slug,
        { ...input, deletionPolicy: 'anonymise' },
        ctx(),
      ).catch((e: unknown) => e);
      expect((weakened as DomainError).fieldErrors.deletionPolicy).toHaveLength(1);
      const stranger = await makeViewer(db, (await createUser(db)).id);
      await expect(
        updateConsultationNotice(db, stranger, c.slug, input, ctx()),
      ).rejects.toMatchObject({ code: 'forbidden' });
    });

    test('retention purges the personal data of consultations closed longer than their period, once; a dry run changes nothing', async () => {
      const now = new Date();
      const expired = await openConsultation(db, 'erase');
      await db
        .updateTable('consultations')
        .set({
          status: 'closed',
          opens_at: new Date(now.getTime() - 130 * DAY),
          closes_at: new Date(now.getTime() - 100 * DAY),
          privacy_retention_months: 2,
        })
        .where('id', '=', expired.consultation.id)
        .execute();
      const recent = await openConsultation(db, 'anonymise');
      await db
        .updateTable('consultations')
        .set({
          status: 'closed',
          opens_at: new Date(now.getTime() - 40 * DAY),
          closes_at: new Date(now.getTime() - 10 * DAY),
        })
        .where('id', '=', recent.consultation.id)
        .execute();
      const answers = (recommendationId: string) => [
        { recommendationId, stance: 'support' as const, reasons: REASONS },
      ];
      const old = await insertAnsweredResponse(db, expired.consultation.id, {
        consent: 'named',
        answers: answers(expired.recommendation.id),
      });
      const fresh = await insertAnsweredResponse(db, recent.consultation.id, {
        answers: answers(recent.recommendation.id),
      });
      const hidden = await insertComment(db, expired.recommendation.id, {
        authorId: old.userId,
        status: 'hidden',
      });
      const shown = await insertComment(db, expired.recommendation.id, { authorId: old.userId });

      const dry = await purgeExpiredPersonalData(db, { now, dryRun: true });
      const planned = dry.find((i) => i.slug === expired.consultation.slug);
      expect(planned).toMatchObject({ responses: 1, comments: 2, retentionMonths: 2 });
      expect(dry.some((i) => i.slug === recent.consultation.slug)).toBe(false);
      const untouched = await db
        .selectFrom('responses')
        .select('user_id')
        .where('id', '=', old.responseId)
        .executeTakeFirstOrThrow();
      expect(untouched.user_id).toBe(old.userId);

      const done = await purgeExpiredPersonalData(db, { now });
      expect(done.find((i) => i.slug === expired.consultation.slug)).toMatchObject({
        responses: 1,
      });
      const purged = await db
        .selectFrom('responses')
        .select(['user_id', 'display_name', 'consent'])
        .where('id', '=', old.responseId)
        .executeTakeFirstOrThrow();
      expect(purged).toEqual({ user_id: null, display_name: null, consent: 'anonymous' });
      const comments = await db
        .selectFrom('comments')
        .select(['id', 'author_id', 'author_display_name', 'status', 'body'])
        .where('id', 'in', [hidden.id, shown.id])
        .execute();
      expect(comments.find((c) => c.id === shown.id)).toMatchObject({
        author_id: null,
        author_display_name: FORMER_PARTICIPANT,
        status: 'visible',
      });
      expect(comments.find((c) => c.id === hidden.id)).toMatchObject({
        status: 'deleted',
        body: TOMBSTONE_BODY,
      });
      const recentResponse = await db
        .selectFrom('responses')
        .select('user_id')
        .where('id', '=', fresh.responseId)
        .executeTakeFirstOrThrow();
      expect(recentResponse.user_id).toBe(fresh.userId);
      expect(await checkResults(db)).toEqual([]);
      // Already purged: the next run leaves it alone.
      const again = await purgeExpiredPersonalData(db, { now });
      expect(again.some((i) => i.slug === expired.consultation.slug)).toBe(false);
    });
  });
}

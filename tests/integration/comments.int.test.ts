import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import {
  COMMENTS_PAGE_SIZE,
  COMMENTS_PER_IP,
  COMMENTS_PER_MINUTE,
  COMMENT_NOTICES,
  countComments,
  deleteComment,
  editComment,
  reportComment,
  listComments,
  postComment,
  unvoteHelpful,
  voteHelpful,
  type CommentView,
} from '~/.server/comments';
import { hitRateLimit } from '~/.server/rate-limits';
import {
  CommentSchema,
  EditCommentSchema,
  ReportSchema,
  type CommentSort,
} from '~/lib/schemas/discussion';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation as insertConsultation,
  createRecommendation,
  createRespondent,
  ctx,
  insertComment,
  verifyProfile,
} from '#tests/support/factories';
import { XSS_CORPUS } from '#tests/fixtures/xss-payloads';
import { unsafeCommentMarkup } from '#tests/support/html';
import { everyFulfilled, rejection } from '#tests/support/outcomes';

const DAY = 24 * 60 * 60 * 1000;

/** Every comment of a listing, replies included, by id. */
function flatten(comments: CommentView[]): Map<string, CommentView> {
  const all = new Map<string, CommentView>();
  const visit = (c: CommentView) => {
    all.set(c.id, c);
    c.replies.forEach(visit);
  };
  comments.forEach(visit);
  return all;
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

    async function openRecommendation(overrides: { report_threshold?: number } = {}) {
      const consultation = await insertConsultation(db, { status: 'open', ...overrides });
      const recommendation = await createRecommendation(db, consultation.id);
      const slugs = [consultation.slug, recommendation.slug] as const;
      return { consultation, recommendation, slugs };
    }

    /** Posts as the form would, from an address of its own. */
    function post(
      viewer: Viewer | null,
      slugs: readonly [string, string],
      body: string,
      parentId?: string,
    ) {
      return postComment(db, viewer, ...slugs, CommentSchema.parse({ body, parentId }), ctx());
    }

    function report(viewer: Viewer | null, consultationSlug: string, commentId: string) {
      return reportComment(
        db,
        viewer,
        consultationSlug,
        commentId,
        ReportSchema.parse({ reason: 'abuse', note: '' }),
        ctx(),
      );
    }

    async function stored(id: string) {
      return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    }

    async function ageComment(id: string, minutes: number) {
      await sql`update comments set created_at = now() - make_interval(mins => ${minutes})
        where id = ${id}`.execute(db);
    }

    async function listAll(
      viewer: Viewer | null,
      slugs: readonly [string, string],
      sort: CommentSort,
    ) {
      const ids: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await listComments(db, viewer, ...slugs, { sort, cursor });
        sizes.push(page.comments.length);
        ids.push(...page.comments.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      return { ids, sizes };
    }

    // --- Posting and replying ----------------------------------------------------------------

    test('a comment is posted and anyone can read it, rendered, with its author', async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db, { displayName: 'Ada Founder', segment: 'founder' });
      await verifyProfile(db, me.id);

      const posted = await post(me, slugs, 'This would **really** help.');
      const page = await listComments(db, null, ...slugs);

      expect(posted).toEqual({ id: expect.any(String), status: 'visible', heldReason: null });
      expect(page.comments).toHaveLength(1);
      expect(page.comments[0]).toMatchObject({
        id: posted.id,
        parentId: null,
        depth: 0,
        status: 'visible',
        bodyHtml: '<p>This would <strong>really</strong> help.</p>\n',
        author: { displayName: 'Ada Founder', segment: 'founder', verified: true },
        notice: null,
        editedAt: null,
        helpfulCount: 0,
        isOwn: false,
        canEdit: false,
        canDelete: false,
        canVote: false,
        canReply: false,
      });
      expect(page.visibleCount).toBe(1);
      expect(page.canComment).toBe(false);
    });

    test('replies nest two levels deep under their comment, oldest first', async () => {
      const { slugs } = await openRecommendation();
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => createRespondent(db)));

      const top = await post(a!, slugs, 'Top-level comment');
      const reply = await post(b!, slugs, 'A reply', top.id);
      const replyToReply = await post(c!, slugs, 'A reply to the reply', reply.id);
      const secondReply = await post(c!, slugs, 'A second reply', top.id);
      const page = await listComments(db, a!, ...slugs);

      expect(page.comments.map((x) => x.id)).toEqual([top.id]);
      const [listed] = page.comments;
      expect(listed!.replies.map((r) => [r.id, r.depth, r.parentId])).toEqual([
        [reply.id, 1, top.id],
        [secondReply.id, 1, top.id],
      ]);
      expect(listed!.replies[0]!.replies.map((r) => [r.id, r.depth])).toEqual([
        [replyToReply.id, 2],
      ]);
      expect(listed!.replies[0]!.canReply).toBe(true);
      expect(listed!.replies[0]!.replies[0]!.canReply).toBe(false);
      expect((await stored(top.id)).reply_count).toBe(2);
      expect((await stored(reply.id)).reply_count).toBe(1);
      expect(page.visibleCount).toBe(4);
    });

    test('a reply to a reply to a reply is refused', async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const top = await insertComment(db, (await openIds(slugs)).recommendationId);
      const reply = await post(me, slugs, 'Depth one', top.id);
      const deepest = await post(me, slugs, 'Depth two', reply.id);

      const error = await rejection(post(me, slugs, 'Depth three', deepest.id));

      expect(error.code).toBe('invalid');
      expect(error.message).toMatch(/two levels/);
      expect((await stored(deepest.id)).reply_count).toBe(0);
    });

    async function openIds(slugs: readonly [string, string]) {
      const row = await db
        .selectFrom('recommendations')
        .innerJoin('consultations', 'consultations.id', 'recommendations.consultation_id')
        .select(['recommendations.id as recommendationId', 'consultations.id as consultationId'])
        .where('consultations.slug', '=', slugs[0])
        .where('recommendations.slug', '=', slugs[1])
        .executeTakeFirstOrThrow();
      return row;
    }

    test('a reply to a comment on another recommendation is refused as invalid', async () => {
      const { consultation, slugs } = await openRecommendation();
      const elsewhere = await createRecommendation(db, consultation.id);
      const otherComment = await insertComment(db, elsewhere.id);
      const me = await createRespondent(db);

      const error = await rejection(post(me, slugs, 'Misplaced reply', otherComment.id));
      const unknown = await rejection(
        post(me, slugs, 'Reply to nothing', '00000000-0000-4000-8000-000000000000'),
      );

      expect(error.code).toBe('invalid');
      expect(unknown.code).toBe('invalid');
      expect((await stored(otherComment.id)).reply_count).toBe(0);
      expect((await listComments(db, null, ...slugs)).comments).toEqual([]);
    });

    test('a reply to a deleted or hidden comment is refused', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const deleted = await insertComment(db, recommendation.id, { status: 'deleted' });
      const hidden = await insertComment(db, recommendation.id, { status: 'hidden' });

      const toDeleted = await rejection(post(me, slugs, 'Hello?', deleted.id));
      const toHidden = await rejection(post(me, slugs, 'Hello?', hidden.id));

      expect(toDeleted.code).toBe('invalid');
      expect(toDeleted.message).toMatch(/deleted/);
      expect(toHidden.code).toBe('invalid');
      expect(toHidden.message).toMatch(/hidden/);
    });

    test('someone signed out cannot post, vote, report, edit or delete', async () => {
      const { recommendation, consultation, slugs } = await openRecommendation();
      const comment = await insertComment(db, recommendation.id);
      const edit = EditCommentSchema.parse({ body: 'x' });

      const attempts = [
        post(null, slugs, 'Anonymous'),
        voteHelpful(db, null, consultation.slug, comment.id),
        unvoteHelpful(db, null, consultation.slug, comment.id),
        report(null, consultation.slug, comment.id),
        editComment(db, null, consultation.slug, comment.id, edit),
        deleteComment(db, null, consultation.slug, comment.id),
      ];

      for (const attempt of attempts) {
        expect((await rejection(attempt)).code).toBe('unauthenticated');
      }
    });

    test('a draft consultation has no discussion; a closed one takes no new comments', async () => {
      const draft = await insertConsultation(db, { status: 'draft' });
      const draftRecommendation = await createRecommendation(db, draft.id);
      const closed = await insertConsultation(db, {
        status: 'open',
        opens_at: new Date(Date.now() - 10 * DAY),
        closes_at: new Date(Date.now() - 1000),
      });
      const closedRecommendation = await createRecommendation(db, closed.id);
      const me = await createRespondent(db);

      const onDraft = await rejection(post(me, [draft.slug, draftRecommendation.slug], 'Hi'));
      const onClosed = await rejection(post(me, [closed.slug, closedRecommendation.slug], 'Hi'));
      const listedDraft = await rejection(
        listComments(db, me, draft.slug, draftRecommendation.slug),
      );

      expect(onDraft.code).toBe('not_found');
      expect(onClosed.code).toBe('closed');
      expect(listedDraft.code).toBe('not_found');
    });

    test('an unknown recommendation, or a comment id that is not one, is not found', async () => {
      const { consultation } = await openRecommendation();
      const me = await createRespondent(db);

      const unknown = await rejection(post(me, [consultation.slug, 'nope'], 'Hi'));
      const badId = await rejection(voteHelpful(db, me, consultation.slug, 'not-a-uuid'));

      expect(unknown.code).toBe('not_found');
      expect(badId.code).toBe('not_found');
    });

    // --- Held for review ---------------------------------------------------------------------

    test('a comment with more than two links is held: only its author sees it', async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const other = await createRespondent(db);

      const twoLinks = await post(me, slugs, 'See https://a.example and www.b.example');
      const threeLinks = await post(
        me,
        slugs,
        'Buy at https://www.a.example, http://b.example and www.c.example',
      );
      const mine = flatten((await listComments(db, me, ...slugs)).comments);
      const theirs = await listComments(db, other, ...slugs);
      const anonymous = await listComments(db, null, ...slugs);

      expect(twoLinks.status).toBe('visible');
      expect(threeLinks).toMatchObject({ status: 'held', heldReason: 'links' });
      expect(mine.get(threeLinks.id)).toMatchObject({
        status: 'held',
        notice: COMMENT_NOTICES.heldLinks,
        bodyHtml: expect.stringContaining('Buy at'),
      });
      expect(theirs.comments.map((c) => c.id)).toEqual([twoLinks.id]);
      expect(anonymous.comments.map((c) => c.id)).toEqual([twoLinks.id]);
      expect(anonymous.visibleCount).toBe(1);
    });

    test('the same text posted again by the same author within a day is held as a duplicate', async () => {
      const { consultation, slugs } = await openRecommendation();
      const elsewhere = await createRecommendation(db, consultation.id);
      const me = await createRespondent(db);
      const other = await createRespondent(db);

      const first = await post(me, slugs, 'This reform is long overdue.');
      const repeat = await post(
        me,
        [consultation.slug, elsewhere.slug],
        '  this REFORM is   long\n overdue.',
      );
      const someoneElse = await post(other, slugs, 'This reform is long overdue.');

      expect(first.status).toBe('visible');
      expect(repeat).toMatchObject({ status: 'held', heldReason: 'duplicate' });
      expect(someoneElse.status).toBe('visible');
      const mine = await listComments(db, me, consultation.slug, elsewhere.slug);
      expect(mine.comments[0]?.notice).toBe(COMMENT_NOTICES.heldDuplicate);
    });

    test('the same comment sent twice at once, or again minutes later, is stored once', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const [a, b] = everyFulfilled(
        await Promise.allSettled([
          post(me, slugs, 'Posted with a double click.'),
          post(me, slugs, 'Posted with a double click.'),
        ]),
      );
      const later = await post(me, slugs, 'posted with a double   click.');

      expect(a!.id).toBe(b!.id);
      expect([a!.repeated, b!.repeated].filter(Boolean)).toHaveLength(1);
      expect(later).toMatchObject({ id: a!.id, repeated: true });
      const rows = await db
        .selectFrom('comments')
        .select('id')
        .where('recommendation_id', '=', recommendation.id)
        .execute();
      expect(rows).toHaveLength(1);
    });

    test('the same words as a reply elsewhere, or after ten minutes, are a new comment', async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const first = await post(me, slugs, 'Agreed, and the evidence backs it.');
      const reply = await post(me, slugs, 'Agreed, and the evidence backs it.', first.id);
      await ageComment(first.id, 11);
      const again = await post(me, slugs, 'Agreed, and the evidence backs it.');

      expect(reply.repeated).toBeUndefined();
      expect(reply.id).not.toBe(first.id);
      expect(again.repeated).toBeUndefined();
      expect(again.id).not.toBe(first.id);
    });

    test('a repeat is not held when the earlier comment is over a day old or was deleted', async () => {
      const { consultation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const old = await post(me, slugs, 'Worth saying twice.');
      await ageComment(old.id, 25 * 60);
      const removed = await post(me, slugs, 'Said once, then removed.');
      await deleteComment(db, me, consultation.slug, removed.id);

      const again = await post(me, slugs, 'Worth saying twice.');
      const reposted = await post(me, slugs, 'Said once, then removed.');

      expect(again.status).toBe('visible');
      expect(reposted.status).toBe('visible');
    });

    // --- Editing -----------------------------------------------------------------------------

    test('the author edits within 15 minutes and the comment is marked edited', async () => {
      const { consultation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const posted = await post(me, slugs, 'Frist draft');
      expect((await listComments(db, me, ...slugs)).comments[0]?.canEdit).toBe(true);

      const edited = await editComment(
        db,
        me,
        consultation.slug,
        posted.id,
        EditCommentSchema.parse({ body: 'First draft' }),
      );
      const listed = (await listComments(db, null, ...slugs)).comments[0]!;

      expect(edited).toEqual({ id: posted.id, status: 'visible', heldReason: null });
      expect(listed.bodyHtml).toBe('<p>First draft</p>\n');
      expect(listed.editedAt).toBeInstanceOf(Date);
    });

    test('a comment can no longer be edited 15 minutes after posting', async () => {
      const { consultation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const posted = await post(me, slugs, 'Original words');
      await ageComment(posted.id, 16);

      const error = await rejection(
        editComment(
          db,
          me,
          consultation.slug,
          posted.id,
          EditCommentSchema.parse({ body: 'New words' }),
        ),
      );

      expect(error.code).toBe('invalid');
      expect(error.message).toMatch(/can no longer be edited/);
      expect((await stored(posted.id)).body).toBe('Original words');
      expect((await listComments(db, me, ...slugs)).comments[0]?.canEdit).toBe(false);
    });

    test('only its author may edit a comment', async () => {
      const { consultation, slugs } = await openRecommendation();
      const author = await createRespondent(db);
      const other = await createRespondent(db);
      const posted = await post(author, slugs, 'Mine');

      const error = await rejection(
        editComment(
          db,
          other,
          consultation.slug,
          posted.id,
          EditCommentSchema.parse({ body: 'Yours now' }),
        ),
      );

      expect(error.code).toBe('forbidden');
      expect((await stored(posted.id)).body).toBe('Mine');
    });

    test('an edit that adds links is held for review like a new comment', async () => {
      const { consultation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const posted = await post(me, slugs, 'Plain text');

      const edited = await editComment(
        db,
        me,
        consultation.slug,
        posted.id,
        EditCommentSchema.parse({ body: 'https://a.example https://b.example https://c.example' }),
      );

      expect(edited).toMatchObject({ status: 'held', heldReason: 'links' });
      expect((await listComments(db, null, ...slugs)).comments).toEqual([]);
    });

    test('a comment held after it was replied to shows others a placeholder above the replies', async () => {
      const { consultation, slugs } = await openRecommendation();
      const author = await createRespondent(db);
      const replier = await createRespondent(db);
      const posted = await post(author, slugs, 'Plain text');
      const reply = await post(replier, slugs, 'Good point', posted.id);
      await editComment(
        db,
        author,
        consultation.slug,
        posted.id,
        EditCommentSchema.parse({ body: 'https://a.example https://b.example https://c.example' }),
      );

      const [listed] = (await listComments(db, null, ...slugs)).comments;

      expect(listed).toMatchObject({
        id: posted.id,
        status: 'held',
        bodyHtml: null,
        author: null,
        notice: COMMENT_NOTICES.heldOthers,
      });
      expect(listed!.replies.map((r) => r.id)).toEqual([reply.id]);
    });

    // --- Deleting ----------------------------------------------------------------------------

    test('a deleted comment becomes a tombstone and its replies stay listed', async () => {
      const { consultation, slugs } = await openRecommendation();
      const author = await createRespondent(db, { displayName: 'Gone Author' });
      const replier = await createRespondent(db);
      const posted = await post(author, slugs, 'Regrettable words');
      const reply = await post(replier, slugs, 'A reply worth keeping', posted.id);

      const first = await deleteComment(db, author, consultation.slug, posted.id);
      const second = await deleteComment(db, author, consultation.slug, posted.id);
      const forAuthor = (await listComments(db, author, ...slugs)).comments[0]!;
      const page = await listComments(db, null, ...slugs);

      expect(first).toEqual({ changed: true });
      expect(second).toEqual({ changed: false });
      for (const listed of [forAuthor, page.comments[0]!]) {
        expect(listed).toMatchObject({
          id: posted.id,
          status: 'deleted',
          bodyHtml: null,
          author: null,
          notice: COMMENT_NOTICES.deleted,
        });
        expect(listed.replies.map((r) => r.id)).toEqual([reply.id]);
        expect(listed.replies[0]!.bodyHtml).toContain('A reply worth keeping');
      }
      expect(JSON.stringify(page)).not.toContain('Regrettable');
      expect(JSON.stringify(page)).not.toContain('Gone Author');
      expect(page.visibleCount).toBe(1);
      expect((await stored(posted.id)).body).toBe('Regrettable words');
    });

    test('a deleted comment without replies drops out of the listing', async () => {
      const { consultation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const posted = await post(me, slugs, 'Never mind');

      await deleteComment(db, me, consultation.slug, posted.id);

      expect((await listComments(db, me, ...slugs)).comments).toEqual([]);
    });

    test('only its author may delete a comment', async () => {
      const { consultation, slugs } = await openRecommendation();
      const author = await createRespondent(db);
      const other = await createRespondent(db);
      const posted = await post(author, slugs, 'Mine to keep');

      const error = await rejection(deleteComment(db, other, consultation.slug, posted.id));

      expect(error.code).toBe('forbidden');
      expect((await stored(posted.id)).status).toBe('visible');
    });

    // --- Helpful votes -----------------------------------------------------------------------

    test('a helpful vote counts once per person and can be taken back', async () => {
      const { consultation, recommendation, slugs } = await openRecommendation();
      const comment = await insertComment(db, recommendation.id);
      const me = await createRespondent(db);

      const first = await voteHelpful(db, me, consultation.slug, comment.id);
      const second = await voteHelpful(db, me, consultation.slug, comment.id);
      const listed = (await listComments(db, me, ...slugs)).comments[0]!;
      const undone = await unvoteHelpful(db, me, consultation.slug, comment.id);
      const undoneAgain = await unvoteHelpful(db, me, consultation.slug, comment.id);

      expect(first).toEqual({ voted: true, changed: true });
      expect(second).toEqual({ voted: true, changed: false });
      expect(listed).toMatchObject({ helpfulCount: 1, viewerVoted: true, canVote: true });
      expect(undone).toEqual({ voted: false, changed: true });
      expect(undoneAgain).toEqual({ voted: false, changed: false });
      expect((await stored(comment.id)).helpful_count).toBe(0);
    });

    test('nobody may mark their own comment helpful', async () => {
      const { consultation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const posted = await post(me, slugs, 'Modest comment');

      const error = await rejection(voteHelpful(db, me, consultation.slug, posted.id));

      expect(error.code).toBe('invalid');
      expect((await stored(posted.id)).helpful_count).toBe(0);
    });

    test('deleted and hidden comments take no helpful votes', async () => {
      const { consultation, recommendation } = await openRecommendation();
      const me = await createRespondent(db);
      const deleted = await insertComment(db, recommendation.id, { status: 'deleted' });
      const hidden = await insertComment(db, recommendation.id, { status: 'hidden' });

      expect((await rejection(voteHelpful(db, me, consultation.slug, deleted.id))).code).toBe(
        'invalid',
      );
      expect((await rejection(voteHelpful(db, me, consultation.slug, hidden.id))).code).toBe(
        'invalid',
      );
    });

    test('ten people voting at once make the helpful count exactly ten', async () => {
      const { consultation, recommendation } = await openRecommendation();
      const comment = await insertComment(db, recommendation.id);
      const voters = await Promise.all(Array.from({ length: 10 }, () => createRespondent(db)));

      everyFulfilled(
        await Promise.allSettled(
          [...voters, ...voters].map((v) => voteHelpful(db, v, consultation.slug, comment.id)),
        ),
      );

      expect((await stored(comment.id)).helpful_count).toBe(10);
      const votes = await db
        .selectFrom('comment_votes')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('comment_id', '=', comment.id)
        .executeTakeFirstOrThrow();
      expect(votes.n).toBe(10);
    });

    // --- Reports -----------------------------------------------------------------------------

    test('nobody may report their own comment', async () => {
      const { consultation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const posted = await post(me, slugs, 'My own words');

      const error = await rejection(report(me, consultation.slug, posted.id));

      expect(error.code).toBe('invalid');
      expect((await stored(posted.id)).report_count).toBe(0);
    });

    test('reporting the same comment twice is refused as a conflict', async () => {
      const { consultation, recommendation, slugs } = await openRecommendation();
      const comment = await insertComment(db, recommendation.id);
      const me = await createRespondent(db);

      await report(me, consultation.slug, comment.id);
      const error = await rejection(report(me, consultation.slug, comment.id));
      const listed = (await listComments(db, me, ...slugs)).comments[0]!;

      expect(error.code).toBe('conflict');
      expect(error.message).toBe('You have already reported this comment.');
      expect((await stored(comment.id)).report_count).toBe(1);
      expect(listed).toMatchObject({ viewerReported: true, canReport: false });
    });

    test('a comment hidden without any report does not tell its author that readers reported it', async () => {
      const { slugs } = await openRecommendation();
      const author = await createRespondent(db);
      const posted = await post(author, slugs, 'Hidden with no reports');
      await db
        .updateTable('comments')
        .set({ status: 'hidden' })
        .where('id', '=', posted.id)
        .execute();
      const forAuthor = (await listComments(db, author, ...slugs)).comments[0]!;
      expect(forAuthor.notice).toBe(COMMENT_NOTICES.hiddenUnreportedOwn);
      expect(forAuthor.notice).not.toMatch(/report/);
    });

    test('three reports hide a comment, record why, and leave its author able to read it', async () => {
      const { consultation, slugs } = await openRecommendation();
      const author = await createRespondent(db);
      const posted = await post(author, slugs, 'Provocative words');
      const reporters = await Promise.all([1, 2, 3].map(() => createRespondent(db)));

      const results = [];
      for (const reporter of reporters) {
        results.push(await report(reporter, consultation.slug, posted.id));
      }
      const forOthers = (await listComments(db, null, ...slugs)).comments[0]!;
      const forAuthor = (await listComments(db, author, ...slugs)).comments[0]!;

      expect(results.map((r) => r.hidden)).toEqual([false, false, true]);
      expect(forOthers).toMatchObject({
        status: 'hidden',
        bodyHtml: null,
        author: null,
        notice: COMMENT_NOTICES.hidden,
        canVote: false,
        canReport: false,
      });
      expect(forAuthor).toMatchObject({
        status: 'hidden',
        bodyHtml: '<p>Provocative words</p>\n',
        notice: COMMENT_NOTICES.hiddenOwn,
      });
      const events = await db
        .selectFrom('audit_events')
        .select(['action', 'actor_id', 'target_type', 'consultation_id', 'after'])
        .where('target_id', '=', posted.id)
        .execute();
      expect(events).toEqual([
        {
          action: 'comment.auto_hidden',
          actor_id: null,
          target_type: 'comment',
          consultation_id: consultation.id,
          after: { status: 'hidden', reportCount: 3 },
        },
      ]);
    });

    test('five reports at once are each counted, and the comment is hidden once', async () => {
      const { consultation, recommendation } = await openRecommendation();
      const comment = await insertComment(db, recommendation.id);
      const reporters = await Promise.all(Array.from({ length: 5 }, () => createRespondent(db)));

      const results = everyFulfilled(
        await Promise.allSettled(reporters.map((r) => report(r, consultation.slug, comment.id))),
      );

      expect(results.filter((r) => r.hidden)).toHaveLength(3);
      const row = await stored(comment.id);
      expect(row.report_count).toBe(5);
      expect(row.status).toBe('hidden');
      const events = await db
        .selectFrom('audit_events')
        .select('action')
        .where('target_id', '=', comment.id)
        .execute();
      expect(events).toEqual([{ action: 'comment.auto_hidden' }]);
    });

    test('the consultation’s own threshold decides how many reports hide a comment', async () => {
      const { consultation, recommendation } = await openRecommendation({ report_threshold: 1 });
      const comment = await insertComment(db, recommendation.id);
      const me = await createRespondent(db);

      const result = await report(me, consultation.slug, comment.id);

      expect(result.hidden).toBe(true);
      expect((await stored(comment.id)).status).toBe('hidden');
    });

    // --- Listing -----------------------------------------------------------------------------

    test('every order pages through each top-level comment exactly once, ties included', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const base = Date.now() - DAY;
      const inserted = [];
      // 45 comments: times shared by threes and helpful counts shared across times.
      for (let i = 0; i < 45; i++) {
        inserted.push(
          await insertComment(db, recommendation.id, {
            createdAt: new Date(base + Math.floor(i / 3) * 1000),
            helpfulCount: i % 4,
          }),
        );
      }
      await insertComment(db, recommendation.id, { parentId: inserted[0]!.id });
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      const time = (c: { created_at: Date }) => c.created_at.getTime();
      const expected: Record<CommentSort, string[]> = {
        newest: [...inserted].sort((a, b) => time(b) - time(a) || byId(b, a)).map((c) => c.id),
        oldest: [...inserted].sort((a, b) => time(a) - time(b) || byId(a, b)).map((c) => c.id),
        helpful: [...inserted]
          .sort((a, b) => b.helpful_count - a.helpful_count || time(b) - time(a) || byId(b, a))
          .map((c) => c.id),
      };

      for (const sort of ['newest', 'oldest', 'helpful'] as const) {
        const { ids, sizes } = await listAll(null, slugs, sort);
        expect(sizes, sort).toEqual([COMMENTS_PAGE_SIZE, COMMENTS_PAGE_SIZE, 5]);
        expect(ids, sort).toEqual(expected[sort]);
      }
    });

    test('a page link made for one order, or altered, is refused as invalid', async () => {
      const { recommendation, slugs } = await openRecommendation();
      for (let i = 0; i < COMMENTS_PAGE_SIZE + 1; i++) await insertComment(db, recommendation.id);
      const { nextCursor } = await listComments(db, null, ...slugs, { sort: 'newest' });
      expect(nextCursor).not.toBeNull();

      const wrongOrder = await rejection(
        listComments(db, null, ...slugs, { sort: 'helpful', cursor: nextCursor }),
      );
      const altered = await rejection(
        listComments(db, null, ...slugs, { sort: 'newest', cursor: `${nextCursor}x` }),
      );

      expect(wrongOrder.code).toBe('invalid');
      expect(altered.code).toBe('invalid');
    });

    test('the listing tells the author what they may still do with their comment', async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      await post(me, slugs, 'My comment');

      const [mine] = (await listComments(db, me, ...slugs)).comments;

      expect(mine).toMatchObject({
        isOwn: true,
        canEdit: true,
        canDelete: true,
        canVote: false,
        canReport: false,
        canReply: true,
      });
    });

    test('the public counts include published comments and replies only', async () => {
      const { consultation, recommendation, slugs } = await openRecommendation();
      const quiet = await createRecommendation(db, consultation.id);
      const top = await insertComment(db, recommendation.id);
      await insertComment(db, recommendation.id, { parentId: top.id });
      for (const status of ['held', 'hidden', 'deleted'] as const) {
        await insertComment(db, recommendation.id, { status });
      }

      const counts = await countComments(db, null, consultation.slug);

      expect(counts).toEqual({ [recommendation.slug]: 2, [quiet.slug]: 0 });
      expect((await listComments(db, null, ...slugs)).visibleCount).toBe(2);
    });

    test('comment text from the XSS corpus is listed as inert HTML', async () => {
      const { recommendation, slugs } = await openRecommendation();
      for (const [, body] of XSS_CORPUS) await insertComment(db, recommendation.id, { body });

      const htmls: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await listComments(db, null, ...slugs, { cursor });
        htmls.push(...page.comments.map((c) => c.bodyHtml!));
        cursor = page.nextCursor;
      } while (cursor);

      expect(htmls).toHaveLength(XSS_CORPUS.length);
      for (const html of htmls) expect(unsafeCommentMarkup(html), html).toEqual([]);
    });

    // --- Rate limits -------------------------------------------------------------------------

    test(`one account may post ${COMMENTS_PER_MINUTE.limit} comments a minute, then waits`, async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const other = await createRespondent(db);
      for (let i = 1; i <= COMMENTS_PER_MINUTE.limit; i++) {
        await post(me, slugs, `Comment number ${i}`);
      }

      const refused = await rejection(post(me, slugs, 'One too many'));

      expect(refused.code).toBe('rate_limited');
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(COMMENTS_PER_MINUTE.windowSeconds);
      await expect(post(other, slugs, 'Someone else')).resolves.toMatchObject({
        status: 'visible',
      });
    });

    test(`one address may post ${COMMENTS_PER_IP.limit} comments an hour, whoever sends them`, async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const office = ctx();
      for (let i = 0; i < COMMENTS_PER_IP.limit; i++) {
        await hitRateLimit(db, COMMENTS_PER_IP, office.clientIp);
      }

      const refused = await rejection(
        postComment(db, me, ...slugs, CommentSchema.parse({ body: 'From the office' }), {
          ...office,
        }),
      );

      expect(refused.code).toBe('rate_limited');
      await expect(post(me, slugs, 'From home')).resolves.toMatchObject({ status: 'visible' });
    });
    // --- Retrying the same form ---------------------------------------------------------------

    /** Posts the comment box of one showing of the page, as the form sends it. */
    function postForm(
      viewer: Viewer,
      slugs: readonly [string, string],
      form: { body: string; idempotencyKey: string; parentId?: string },
    ) {
      return postComment(db, viewer, ...slugs, CommentSchema.parse(form), ctx());
    }

    async function commentsBy(authorId: string) {
      return db
        .selectFrom('comments')
        .select(['id', 'parent_id', 'status', 'reply_count'])
        .where('author_id', '=', authorId)
        .orderBy('created_at')
        .execute();
    }

    test('the same comment form sent twice stores one comment, and both answers are the first one', async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const form = { body: 'Sent twice by a double click.', idempotencyKey: randomUUID() };

      const first = await postForm(me, slugs, form);
      const retry = await postForm(me, slugs, form);

      expect(first).toEqual({ id: first.id, status: 'visible', heldReason: null });
      expect(retry).toEqual(first);
      expect(await commentsBy(me.id)).toHaveLength(1);
    });

    test('five copies of one comment form at once store one comment, and each gets the first answer', async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const form = { body: 'Sent five times at once.', idempotencyKey: randomUUID() };

      const results = everyFulfilled(
        await Promise.allSettled(Array.from({ length: 5 }, () => postForm(me, slugs, form))),
      );

      const stored = await commentsBy(me.id);
      expect(stored).toHaveLength(1);
      expect(results).toEqual(
        Array.from({ length: 5 }, () => ({
          id: stored[0]!.id,
          status: 'visible',
          heldReason: null,
        })),
      );
    });

    test('a comment form sent again after its comment was deleted does not post it again', async () => {
      const { consultation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const form = { body: 'Posted, then deleted.', idempotencyKey: randomUUID() };
      const first = await postForm(me, slugs, form);
      await deleteComment(db, me, consultation.slug, first.id);

      const retry = await postForm(me, slugs, form);

      expect(retry).toEqual(first);
      expect(await commentsBy(me.id)).toEqual([
        expect.objectContaining({ id: first.id, status: 'deleted' }),
      ]);
    });

    test('two showings of the comment form are two posts: the same text is still caught as a repeat, other text is stored', async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const first = await postForm(me, slugs, { body: 'Once', idempotencyKey: randomUUID() });

      const repeat = await postForm(me, slugs, { body: 'Once', idempotencyKey: randomUUID() });
      const other = await postForm(me, slugs, { body: 'Twice', idempotencyKey: randomUUID() });

      expect(repeat).toEqual({ ...first, repeated: true });
      expect(other.id).not.toBe(first.id);
      expect(await commentsBy(me.id)).toHaveLength(2);
    });

    test('one page’s key serves every reply box: replies to two comments are both stored, a resent reply once', async () => {
      const { slugs } = await openRecommendation();
      const [author, me] = [await createRespondent(db), await createRespondent(db)];
      const a = await post(author, slugs, 'First comment');
      const b = await post(author, slugs, 'Second comment');
      const pageKey = randomUUID();
      const replyToA = { body: 'Agreed', parentId: a.id, idempotencyKey: pageKey };

      const toA = await postForm(me, slugs, replyToA);
      const toB = await postForm(me, slugs, { ...replyToA, parentId: b.id });
      const again = everyFulfilled(
        await Promise.allSettled([postForm(me, slugs, replyToA), postForm(me, slugs, replyToA)]),
      );

      expect(again).toEqual([toA, toA]);
      expect(toB.id).not.toBe(toA.id);
      const mine = await commentsBy(me.id);
      expect(mine.map((c) => c.parent_id).sort()).toEqual([a.id, b.id].sort());
      expect((await commentsBy(author.id)).map((c) => [c.id, c.reply_count]).sort()).toEqual(
        [
          [a.id, 1],
          [b.id, 1],
        ].sort(),
      );
    });

    test('a comment refused because the consultation closed keeps no key: nothing is stored either way', async () => {
      const { consultation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      await db
        .updateTable('consultations')
        .set({ closes_at: new Date(Date.now() - 60_000) })
        .where('id', '=', consultation.id)
        .execute();
      const form = { body: 'Too late', idempotencyKey: randomUUID() };

      expect((await rejection(postForm(me, slugs, form))).code).toBe('closed');
      expect((await rejection(postForm(me, slugs, form))).code).toBe('closed');
      expect(await commentsBy(me.id)).toHaveLength(0);
      expect(
        await db
          .selectFrom('idempotency_keys')
          .select('key')
          .where('user_id', '=', me.id)
          .execute(),
      ).toEqual([]);
    });
  });
}

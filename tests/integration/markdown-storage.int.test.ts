import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { editComment, getComment, listComments, postComment } from '~/.server/comments';
import {
  addRecommendation,
  createConsultation,
  getConsultation,
  getRecommendation,
  updateConsultation,
  updateRecommendation,
} from '~/.server/consultations';
import { submitForm } from '~/.server/http';
import { MARKDOWN_RENDERER_VERSION, rerenderStaleMarkdown } from '~/.server/markdown';
import { decide, getHouseRules, getItem, getPolicy, updatePolicy } from '~/.server/moderation';
import { CommentSchema, EditCommentSchema } from '~/lib/schemas/discussion';
import { DecisionSchema, PolicySchema } from '~/lib/schemas/moderation';
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
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

// 4,998 characters: the comment from the security review that overflowed marked's stack.
const NESTED_LISTS = '1. '.repeat(1666);

function formRequest(fields: Record<string, string>) {
  return new Request('http://localhost/form', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
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

    async function openRecommendation() {
      const consultation = await insertConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      return {
        consultation,
        recommendation,
        slugs: [consultation.slug, recommendation.slug] as const,
      };
    }

    test('a posted comment is shown from the HTML stored when it was written', async () => {
      const { slugs } = await openRecommendation();
      const author = await createRespondent(db);
      const posted = await postComment(
        db,
        author,
        ...slugs,
        CommentSchema.parse({ body: 'I **agree**.' }),
        ctx(),
      );
      const row = await db
        .selectFrom('comments')
        .select(['body_html', 'body_html_version'])
        .where('id', '=', posted.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        body_html: '<p>I <strong>agree</strong>.</p>\n',
        body_html_version: MARKDOWN_RENDERER_VERSION,
      });

      // Reads never render: the source changed behind the service's back is not what is shown.
      await db
        .updateTable('comments')
        .set({ body: 'I _disagree_.' })
        .where('id', '=', posted.id)
        .execute();
      const page = await listComments(db, null, ...slugs);
      expect(page.comments.find((c) => c.id === posted.id)?.bodyHtml).toBe(row.body_html);
      const one = await getComment(db, author, ...slugs, posted.id);
      expect(one.bodyHtml).toBe(row.body_html);
    });

    test('the nested-list comment is refused as a field error and the form keeps the text', async () => {
      const { slugs } = await openRecommendation();
      const author = await createRespondent(db);

      const error = await rejection(
        postComment(db, author, ...slugs, CommentSchema.parse({ body: NESTED_LISTS }), ctx()),
      );
      expect(error.code).toBe('invalid');
      expect(error.fieldErrors.body?.[0]).toMatch(/more than 10 levels deep/);

      const response = await submitForm(
        formRequest({ body: NESTED_LISTS, idempotencyKey: randomUUID() }),
        CommentSchema,
        (input) => postComment(db, author, ...slugs, input, ctx()),
      );
      const failure = (response as { data: Record<string, unknown>; init: ResponseInit }).data;
      expect((response as { init: ResponseInit }).init.status).toBe(422);
      expect(failure).toMatchObject({
        values: { body: NESTED_LISTS },
        fieldErrors: { body: [expect.stringMatching(/more than 10 levels deep/)] },
      });
      expect((await listComments(db, null, ...slugs)).comments).toEqual([]);
    });

    test('an edit stores new HTML; a refused edit keeps the old text and HTML', async () => {
      const { slugs } = await openRecommendation();
      const author = await createRespondent(db);
      const posted = await postComment(
        db,
        author,
        ...slugs,
        CommentSchema.parse({ body: 'First draft.' }),
        ctx(),
      );

      await editComment(
        db,
        author,
        slugs[0],
        posted.id,
        EditCommentSchema.parse({ body: 'Now *better*.' }),
      );
      expect((await getComment(db, author, ...slugs, posted.id)).bodyHtml).toBe(
        '<p>Now <em>better</em>.</p>\n',
      );

      const error = await rejection(
        editComment(
          db,
          author,
          slugs[0],
          posted.id,
          EditCommentSchema.parse({ body: '_*a'.repeat(500) }),
        ),
      );
      expect(error.fieldErrors.body?.[0]).toMatch(/bold, italic or strikethrough markers/);
      const after = await getComment(db, author, ...slugs, posted.id);
      expect(after).toMatchObject({
        body: 'Now *better*.',
        bodyHtml: '<p>Now <em>better</em>.</p>\n',
      });
    });

    test('house rules are shown from their stored HTML; refused rules change nothing', async () => {
      const consultation = await insertConsultation(db, { status: 'open' });
      const organiser = await createOrganiser(db);
      const policy = await getPolicy(db, organiser, consultation.slug);
      const save = (houseRules: string, version: number) =>
        updatePolicy(
          db,
          organiser,
          consultation.slug,
          PolicySchema.parse({
            mode: 'post',
            reportThreshold: '3',
            houseRules,
            version: String(version),
          }),
          ctx(),
        );

      await save('## Be kind', policy.version);
      await db
        .updateTable('consultations')
        .set({ house_rules: '## Be rude' })
        .where('id', '=', consultation.id)
        .execute();
      expect(await getHouseRules(db, consultation.slug)).toBe('<h3>Be kind</h3>\n');

      const error = await rejection(save('> '.repeat(2500), policy.version + 1));
      expect(error.fieldErrors.houseRules?.[0]).toMatch(/lists or quotes more than 10 levels deep/);
      expect((await getPolicy(db, organiser, consultation.slug)).version).toBe(policy.version + 1);
      expect(await getHouseRules(db, consultation.slug)).toBe('<h3>Be kind</h3>\n');
    });

    test('a consultation description is shown from its stored HTML, on create and on edit', async () => {
      const organiser = await createOrganiser(db);
      const slug = `stored-${randomUUID().slice(0, 8)}`;
      const created = await createConsultation(
        db,
        organiser,
        {
          slug,
          title: 'Stored',
          summary: 'A summary.',
          body: 'Some **background**.',
          runBy: 'Us',
          opensAt: null,
          closesAt: null,
        },
        ctx(),
      );
      await db
        .updateTable('consultations')
        .set({ body: 'Tampered' })
        .where('id', '=', created.id)
        .execute();
      expect((await getConsultation(db, slug, organiser)).consultation.bodyHtml).toBe(
        '<p>Some <strong>background</strong>.</p>\n',
      );

      const edit = {
        intent: 'save' as const,
        version: created.version,
        title: 'Stored',
        summary: 'A summary.',
        runBy: 'Us',
        opensAt: null,
        closesAt: null,
      };
      await updateConsultation(db, organiser, slug, { ...edit, body: '## Why' }, ctx());
      expect((await getConsultation(db, slug, organiser)).consultation.bodyHtml).toBe(
        '<h3>Why</h3>\n',
      );

      const error = await rejection(
        updateConsultation(
          db,
          organiser,
          slug,
          { ...edit, version: created.version + 1, body: '>'.repeat(5000) },
          ctx(),
        ),
      );
      expect(error.fieldErrors.body?.[0]).toMatch(/more than 10 levels deep/);
    });

    test('a recommendation rationale is shown from its stored HTML, on add and on edit', async () => {
      const organiser = await createOrganiser(db);
      const consultation = await insertConsultation(db, { status: 'draft' });
      const added = await addRecommendation(
        db,
        organiser,
        consultation.slug,
        {
          title: 'Stored rationale',
          summary: 'It proposes.',
          rationale: '- one\n- two',
          slug: undefined,
        },
        ctx(),
      );
      await db
        .updateTable('recommendations')
        .set({ rationale: 'Tampered' })
        .where('id', '=', added.id)
        .execute();
      const shown = await getRecommendation(db, consultation.slug, added.slug, organiser);
      expect(shown.recommendation.rationaleHtml).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n');

      const edit = {
        intent: 'save' as const,
        title: 'Stored rationale',
        summary: 'It proposes.',
        confirmed: undefined,
      };
      await updateRecommendation(
        db,
        organiser,
        consultation.slug,
        added.slug,
        { ...edit, version: added.version, rationale: '**Why**' },
        ctx(),
      );
      expect(
        (await getRecommendation(db, consultation.slug, added.slug, organiser)).recommendation
          .rationaleHtml,
      ).toBe('<p><strong>Why</strong></p>\n');

      const error = await rejection(
        addRecommendation(
          db,
          organiser,
          consultation.slug,
          {
            title: 'Too deep',
            summary: 'It proposes.',
            rationale: '- '.repeat(2000),
            slug: undefined,
          },
          ctx(),
        ),
      );
      expect(error.fieldErrors.rationale?.[0]).toMatch(/more than 10 levels deep/);
    });

    test('a moderator’s edit stores its HTML and a refused one is a field error', async () => {
      const { consultation, recommendation } = await openRecommendation();
      const moderatorUser = await createUser(db);
      await grantRole(db, moderatorUser.id, 'moderator', consultation.id);
      const moderator = await makeViewer(db, moderatorUser.id);
      const c = await insertComment(db, recommendation.id, { body: 'Ring 07700 900123.' });
      const redact = (body: string) =>
        decide(
          db,
          moderator,
          consultation.slug,
          `c.${c.id}`,
          DecisionSchema.parse({
            intent: 'redact',
            body,
            reason: 'personal_data',
            seenSeq: '0',
            seenStatus: 'visible',
          }),
          ctx(),
        );

      const error = await rejection(redact(NESTED_LISTS));
      expect(error.fieldErrors.body?.[0]).toMatch(/more than 10 levels deep/);

      await redact('Ring **[removed]**.');
      await db.updateTable('comments').set({ body: 'Tampered' }).where('id', '=', c.id).execute();
      const item = await getItem(db, moderator, consultation.slug, `c.${c.id}`);
      expect(item.item.bodyHtml).toBe('<p>Ring <strong>[removed]</strong>.</p>\n');
    });

    test('rows from an older renderer are shown as escaped text, then rendered by the start-up step in batches', async () => {
      const { slugs, recommendation } = await openRecommendation();
      const ids: string[] = [];
      for (const body of ['one **1**', 'two **2**', 'three **3**', 'four **4**', NESTED_LISTS]) {
        ids.push((await insertComment(db, recommendation.id, { body })).id);
      }
      await db
        .updateTable('comments')
        .set({ body_html: null, body_html_version: 0 })
        .where('id', 'in', ids)
        .execute();
      const before = await listComments(db, null, ...slugs, { sort: 'oldest' });
      expect(before.comments[0]!.bodyHtml).toBe('<p>one **1**</p>\n');

      const rendered = await rerenderStaleMarkdown(db, { batchSize: 2 });

      expect(rendered).toBeGreaterThanOrEqual(5);
      const after = await listComments(db, null, ...slugs, { sort: 'oldest' });
      expect(after.comments.map((c) => c.bodyHtml)).toEqual([
        '<p>one <strong>1</strong></p>\n',
        '<p>two <strong>2</strong></p>\n',
        '<p>three <strong>3</strong></p>\n',
        '<p>four <strong>4</strong></p>\n',
        // Refused by today's limits: kept as the text that was typed, not a failed start-up.
        `<p>${NESTED_LISTS.trim()}</p>\n`,
      ]);
      const stale = await sql<{ n: number }>`select count(*)::int as n from comments
        where body_html_version < ${MARKDOWN_RENDERER_VERSION}`.execute(db);
      expect(stale.rows[0]!.n).toBe(0);
      expect(await rerenderStaleMarkdown(db)).toBe(0);
    });
  });
}

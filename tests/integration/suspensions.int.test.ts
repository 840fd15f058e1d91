import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { resolveSession, type Viewer } from '~/.server/auth';
import { lucia } from '~/.server/auth/session';
import { reportComment, postComment, voteHelpful } from '~/.server/comments';
import { endorse } from '~/.server/endorsements';
import { DomainError } from '~/.server/errors';
import { saveAnswer } from '~/.server/responses';
import {
  changeSuspendedContent,
  getAccountForOrganiser,
  liftSuspension,
  suspendAccount,
} from '~/.server/suspensions';
import { CommentSchema, ReportSchema } from '~/lib/schemas/discussion';
import { AnswerSchema } from '~/lib/schemas/responses';
import { ProfileSchema } from '~/lib/schemas/responses';
import {
  LiftSchema,
  SuspendSchema,
  TeamSchema,
  VerificationRequestSchema,
} from '~/lib/schemas/trust';
import { updateProfile } from '~/.server/profiles';
import { changeTeam } from '~/.server/team';
import { requestVerification } from '~/.server/verification';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  cookiePair,
  ctx,
  grantRole,
  insertComment,
  makeViewer,
  requestWithCookie,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

function suspension(fields: Record<string, string> = {}) {
  return SuspendSchema.parse({
    intent: 'suspend',
    reason: 'Posting the same advert on every recommendation',
    length: '7d',
    ...fields,
  });
}

function lift(fields: Record<string, string> = {}) {
  return LiftSchema.parse({ intent: 'lift', reason: 'Appeal accepted', ...fields });
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

    async function setting() {
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      const slugs = [consultation.slug, recommendation.slug] as const;
      const organiser = await createOrganiser(db);
      const member = await createRespondent(db, { organisation: 'Acme Robotics' });
      return { consultation, recommendation, slugs, organiser, member };
    }

    async function statusOf(commentId: string) {
      const row = await db
        .selectFrom('comments')
        .select('status')
        .where('id', '=', commentId)
        .executeTakeFirstOrThrow();
      return row.status;
    }

    test('a suspended account is refused every way of taking part, with the end date and the reason', async () => {
      const { recommendation, slugs, organiser, member } = await setting();
      const other = await createRespondent(db);
      const theirs = await insertComment(db, recommendation.id, { authorId: other.id });
      await suspendAccount(db, organiser, member.id, suspension(), ctx());

      const attempts: [string, () => Promise<unknown>][] = [
        [
          'comment',
          () => postComment(db, member, ...slugs, CommentSchema.parse({ body: 'Hi' }), ctx()),
        ],
        ['vote', () => voteHelpful(db, member, slugs[0], theirs.id)],
        [
          'report',
          () =>
            reportComment(
              db,
              member,
              slugs[0],
              theirs.id,
              ReportSchema.parse({ reason: 'spam', note: '' }),
              ctx(),
            ),
        ],
        [
          'endorse',
          () =>
            endorse(db, member, ...slugs, { onBehalfOfOrganisation: false, showName: true }, ctx()),
        ],
        [
          'respond',
          () =>
            saveAnswer(
              db,
              member,
              ...slugs,
              AnswerSchema.parse({
                stance: 'support',
                importance: '',
                reasons: '',
                changeMind: '',
              }),
            ),
        ],
      ];
      for (const [what, attempt] of attempts) {
        const error = await rejection(attempt());
        expect(error.code, what).toBe('suspended');
        expect(error.message, what).toMatch(/suspended until \d+ \w+ \d{4} at/);
        expect(error.message, what).toContain('Posting the same advert on every recommendation');
      }
      const comments = await db
        .selectFrom('comments')
        .select('id')
        .where('author_id', '=', member.id)
        .execute();
      expect(comments).toEqual([]);
    });

    test('suspending ends the sessions, is audited and tells the person, in one transaction', async () => {
      const { organiser, member } = await setting();
      await db
        .insertInto('sessions')
        .values([
          { id: `s1-${member.id}`, user_id: member.id, expires_at: new Date(Date.now() + 864e5) },
          { id: `s2-${member.id}`, user_id: member.id, expires_at: new Date(Date.now() + 864e5) },
        ])
        .execute();
      const request = ctx();

      await suspendAccount(db, organiser, member.id, suspension({ length: 'permanent' }), request);

      const sessions = await db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', member.id)
        .execute();
      expect(sessions).toEqual([]);
      const event = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('target_id', '=', member.id)
        .where('action', '=', 'account.suspended')
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({
        actor_id: organiser.id,
        target_type: 'user',
        reason: 'Posting the same advert on every recommendation',
        request_id: request.requestId,
      });
      expect(event.after).toMatchObject({ endsAt: null, sessionsEnded: 2 });
      const message = await db
        .selectFrom('notifications')
        .selectAll()
        .where('user_id', '=', member.id)
        .executeTakeFirstOrThrow();
      expect(message.kind).toBe('account.suspended');
      expect(message.body).toContain('until the organisers lift it');
    });

    test('hiding content hides every public and held comment, and lifting puts back only what it hid', async () => {
      const { recommendation, organiser, member } = await setting();
      const shown = await insertComment(db, recommendation.id, { authorId: member.id });
      const held = await insertComment(db, recommendation.id, {
        authorId: member.id,
        status: 'held',
      });
      const deleted = await insertComment(db, recommendation.id, {
        authorId: member.id,
        status: 'deleted',
      });
      const laterDeleted = await insertComment(db, recommendation.id, { authorId: member.id });

      const result = await suspendAccount(
        db,
        organiser,
        member.id,
        suspension({ hideContent: 'yes' }),
        ctx(),
      );

      expect(result.commentsHidden).toBe(3);
      expect(await statusOf(shown.id)).toBe('hidden');
      expect(await statusOf(held.id)).toBe('hidden');
      expect(await statusOf(deleted.id)).toBe('deleted');
      // The author deletes one while suspended: the undo must not bring it back.
      await db
        .updateTable('comments')
        .set({ status: 'deleted' })
        .where('id', '=', laterDeleted.id)
        .execute();

      const lifted = await liftSuspension(
        db,
        organiser,
        member.id,
        lift({ restoreContent: 'yes' }),
        ctx(),
      );

      expect(lifted.commentsRestored).toBe(2);
      expect(await statusOf(shown.id)).toBe('visible');
      expect(await statusOf(held.id)).toBe('held');
      expect(await statusOf(laterDeleted.id)).toBe('deleted');
      const actions = await db
        .selectFrom('audit_events')
        .select(['action', 'consultation_id'])
        .where('actor_id', '=', organiser.id)
        .orderBy('id')
        .execute();
      expect(actions.map((a) => a.action)).toEqual([
        'account.suspended',
        'comment.hidden_by_suspension',
        'account.suspension_lifted',
        'comment.restored_after_suspension',
      ]);
      expect(actions[1]!.consultation_id).toBe(recommendation.consultation_id);
    });

    test('content can be hidden after suspending, and restored later in a separate step', async () => {
      const { recommendation, organiser, member } = await setting();
      const shown = await insertComment(db, recommendation.id, { authorId: member.id });
      const { suspensionId } = await suspendAccount(db, organiser, member.id, suspension(), ctx());
      expect(await statusOf(shown.id)).toBe('visible');

      const hide = { intent: 'hide-content' as const, suspensionId };
      expect((await changeSuspendedContent(db, organiser, member.id, hide, ctx())).changed).toBe(1);
      expect((await changeSuspendedContent(db, organiser, member.id, hide, ctx())).changed).toBe(0);
      expect(await statusOf(shown.id)).toBe('hidden');

      await liftSuspension(db, organiser, member.id, lift(), ctx());
      expect(await statusOf(shown.id)).toBe('hidden');
      const page = await getAccountForOrganiser(db, organiser, member.id);
      expect(page.suspensions[0]!.hiddenComments).toBe(1);

      await changeSuspendedContent(
        db,
        organiser,
        member.id,
        { intent: 'restore-content', suspensionId },
        ctx(),
      );
      expect(await statusOf(shown.id)).toBe('visible');
    });

    test('an account cannot be suspended twice at once, and a lifted suspension cannot be lifted again', async () => {
      const { organiser, member } = await setting();
      const second = await createOrganiser(db);
      const results = await Promise.allSettled([
        suspendAccount(db, organiser, member.id, suspension(), ctx()),
        suspendAccount(db, second, member.id, suspension(), ctx()),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as DomainError).code).toBe('conflict');

      await liftSuspension(db, organiser, member.id, lift(), ctx());
      const again = await rejection(liftSuspension(db, second, member.id, lift(), ctx()));
      expect(again.code).toBe('conflict');
    });

    test('a suspension that ran out stops nothing, and a new one can follow it', async () => {
      const { slugs, organiser, member } = await setting();
      await suspendAccount(db, organiser, member.id, suspension({ length: '1d' }), ctx());
      await sql`update suspensions set starts_at = now() - interval '2 days',
        ends_at = now() - interval '1 day' where user_id = ${member.id}`.execute(db);

      const posted = await postComment(
        db,
        member,
        ...slugs,
        CommentSchema.parse({ body: 'Back' }),
        ctx(),
      );
      expect(posted.status).toBe('visible');

      await suspendAccount(db, organiser, member.id, suspension(), ctx());
      const page = await getAccountForOrganiser(db, organiser, member.id);
      expect(page.activeSuspensionId).not.toBeNull();
      expect(page.suspensions.map((s) => s.liftReason)).toEqual([null, 'Ran out']);
    });

    test('only site-wide organisers suspend; staff and oneself cannot be suspended', async () => {
      const { consultation, organiser, member } = await setting();
      const local = await createRespondent(db);
      await grantRole(db, local.id, 'organiser', consultation.id);
      const localOrganiser = await makeViewer(db, local.id);
      const moderator = await createRespondent(db);
      await grantRole(db, moderator.id, 'moderator', consultation.id);

      expect(
        (await rejection(suspendAccount(db, localOrganiser, member.id, suspension(), ctx()))).code,
      ).toBe('forbidden');
      expect(
        (await rejection(suspendAccount(db, member as Viewer, organiser.id, suspension(), ctx())))
          .code,
      ).toBe('forbidden');
      expect((await rejection(suspendAccount(db, null, member.id, suspension(), ctx()))).code).toBe(
        'unauthenticated',
      );
      expect(
        (await rejection(suspendAccount(db, organiser, moderator.id, suspension(), ctx()))).code,
      ).toBe('invalid');
      expect(
        (await rejection(suspendAccount(db, organiser, organiser.id, suspension(), ctx()))).code,
      ).toBe('invalid');
      expect(
        (await rejection(suspendAccount(db, organiser, 'not-an-id', suspension(), ctx()))).code,
      ).toBe('not_found');
      expect(
        (
          await rejection(
            suspendAccount(
              db,
              organiser,
              member.id,
              suspension({ length: 'until', until: '2001-01-01T10:00' }),
              ctx(),
            ),
          )
        ).fieldErrors,
      ).toEqual({ until: ['Enter a date and time in the future'] });
    });

    test('a suspended account cannot use staff rights it holds, and has them back once lifted', async () => {
      const { consultation, organiser, member } = await setting();
      const me = await makeViewer(db, organiser.id);
      await suspendAccount(db, me, member.id, suspension(), ctx());
      // A grant made before the rule, or by the command line: on record, but not usable.
      await grantRole(db, member.id, 'moderator', consultation.id);
      const auth = lucia(db);
      const session = await auth.createSession(member.id, {});
      const cookie = cookiePair(auth.createSessionCookie(session.id).serialize());

      const suspended = await resolveSession(db, requestWithCookie(cookie));
      expect(suspended.viewer?.id).toBe(member.id);
      expect(suspended.viewer?.roles).toEqual([]);

      await liftSuspension(db, me, member.id, lift(), ctx());
      const lifted = await resolveSession(db, requestWithCookie(cookie));
      expect(lifted.viewer?.roles).toEqual([
        { role: 'moderator', consultationId: consultation.id },
      ]);
    });

    test('a consultation organiser cannot give a role to a suspended account', async () => {
      const { consultation, organiser, member } = await setting();
      const site = await makeViewer(db, organiser.id);
      const lead = await createRespondent(db);
      await grantRole(db, lead.id, 'organiser', consultation.id);
      await suspendAccount(db, site, member.id, suspension(), ctx());

      const refused = await rejection(
        changeTeam(
          db,
          await makeViewer(db, lead.id),
          consultation.slug,
          TeamSchema.parse({ intent: 'grant', email: member.email, role: 'moderator' }),
          ctx(),
        ),
      );
      expect(refused.code).toBe('invalid');
      expect(refused.fieldErrors.email?.[0]).toMatch(/suspended, so it cannot be given a role/);
      const grants = await db
        .selectFrom('role_grants')
        .select('id')
        .where('user_id', '=', member.id)
        .execute();
      expect(grants).toEqual([]);
    });

    test('a suspended account cannot ask for verification or change its profile', async () => {
      const { organiser, member } = await setting();
      await suspendAccount(db, await makeViewer(db, organiser.id), member.id, suspension(), ctx());
      const viewer = await makeViewer(db, member.id);

      const asking = await rejection(
        requestVerification(
          db,
          viewer,
          VerificationRequestSchema.parse({
            organisation: 'Acme Robotics Ltd',
            role: 'Founder',
            evidenceUrl: '',
            evidence: 'I run it.',
          }),
          ctx(),
        ),
      );
      expect(asking.code).toBe('suspended');
      const changing = await rejection(
        updateProfile(
          db,
          viewer,
          ProfileSchema.parse({ segment: 'investor', organisation: 'Someone Else Ltd' }),
        ),
      );
      expect(changing.code).toBe('suspended');
      const profile = await db
        .selectFrom('respondent_profiles')
        .select(['segment', 'organisation'])
        .where('user_id', '=', member.id)
        .executeTakeFirstOrThrow();
      expect(profile).toEqual({ segment: 'founder', organisation: 'Acme Robotics' });
      const requests = await db
        .selectFrom('verification_requests')
        .select('id')
        .where('user_id', '=', member.id)
        .execute();
      expect(requests).toEqual([]);
    });
  });
}

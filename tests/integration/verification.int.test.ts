import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import { listNamedEndorsers } from '~/.server/endorsements';
import { DomainError } from '~/.server/errors';
import { updateProfile } from '~/.server/profiles';
import {
  decideVerification,
  getMyVerification,
  listVerificationRequests,
  requestVerification,
  revokeVerification,
} from '~/.server/verification';
import { ProfileSchema } from '~/lib/schemas/responses';
import { VerificationDecisionSchema, VerificationRequestSchema } from '~/lib/schemas/trust';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  ctx,
  grantRole,
  insertComment,
  insertEndorsement,
  makeViewer,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

const asking = (fields: Record<string, string> = {}) =>
  VerificationRequestSchema.parse({
    organisation: 'Acme Robotics Ltd',
    role: 'Founder',
    evidence: 'Our team page lists me.',
    evidenceUrl: 'https://acme.example/team',
    ...fields,
  });
const decision = (d: 'approve' | 'reject', note = '') =>
  VerificationDecisionSchema.parse({ decision: d, note });

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function authorVerified(commentId: string) {
      const row = await db
        .selectFrom('comments')
        .select('author_verified')
        .where('id', '=', commentId)
        .executeTakeFirstOrThrow();
      return row.author_verified;
    }

    test('approval sets the badge, carries it to comments and endorsements, and tells the person', async () => {
      const organiser = await createOrganiser(db);
      const founder = await createRespondent(db, { organisation: 'Acme' });
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      const comment = await insertComment(db, recommendation.id, { authorId: founder.id });
      await insertEndorsement(db, recommendation.id, {
        userId: founder.id,
        onBehalfOfOrganisation: true,
      });
      const { id } = await requestVerification(db, founder, asking(), ctx());
      const endorsersBefore = await listNamedEndorsers(db, consultation.slug, recommendation.slug);
      expect(endorsersBefore.endorsers[0]).toMatchObject({ onBehalfOf: null, verified: false });

      await decideVerification(db, organiser, id, decision('approve', 'Checked'), ctx());

      const mine = await getMyVerification(db, founder);
      expect(mine).toMatchObject({
        verified: true,
        organisation: 'Acme Robotics Ltd',
        verifiedRole: 'Founder',
        pending: null,
      });
      expect(await authorVerified(comment.id)).toBe(true);
      const endorsers = await listNamedEndorsers(db, consultation.slug, recommendation.slug);
      expect(endorsers.endorsers[0]).toMatchObject({
        onBehalfOf: 'Acme Robotics Ltd',
        verified: true,
      });
      const message = await db
        .selectFrom('notifications')
        .select(['kind', 'subject'])
        .where('user_id', '=', founder.id)
        .executeTakeFirstOrThrow();
      expect(message).toEqual({
        kind: 'verification.approved',
        subject: 'You are verified as Founder at Acme Robotics Ltd',
      });
      const event = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('target_id', '=', id)
        .where('action', '=', 'verification.approved')
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({ actor_id: organiser.id, reason: 'Checked' });
    });

    test('one request waits at a time, and a rejection needs a note the person sees', async () => {
      const organiser = await createOrganiser(db);
      const person = await createRespondent(db);
      const results = await Promise.allSettled([
        requestVerification(db, person, asking(), ctx()),
        requestVerification(db, person, asking(), ctx()),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult)
        .reason as DomainError;
      expect(refused.code).toBe('conflict');

      expect(VerificationDecisionSchema.safeParse({ decision: 'reject', note: '' }).success).toBe(
        false,
      );
      const { id } = (
        await listVerificationRequests(db, organiser, { status: 'pending', cursor: null })
      ).requests.find((r) => r.email === person.email)!;
      await decideVerification(
        db,
        organiser,
        id,
        decision('reject', 'The link does not name you'),
        ctx(),
      );
      const mine = await getMyVerification(db, person);
      expect(mine.verified).toBe(false);
      expect(mine.requests[0]).toMatchObject({
        status: 'rejected',
        decisionNote: 'The link does not name you',
      });
      // Free to ask again once decided.
      await requestVerification(db, person, asking(), ctx());
    });

    test('two organisers deciding at once: one wins, the other is told who decided', async () => {
      const first = await createOrganiser(db, { displayName: 'First Organiser' });
      const second = await createOrganiser(db, { displayName: 'Second Organiser' });
      const person = await createRespondent(db);
      const { id } = await requestVerification(db, person, asking(), ctx());
      const results = await Promise.allSettled([
        decideVerification(db, first, id, decision('approve'), ctx()),
        decideVerification(db, second, id, decision('reject', 'No'), ctx()),
      ]);
      const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(refused).toHaveLength(1);
      expect((refused[0]!.reason as DomainError).code).toBe('conflict');
      expect((refused[0]!.reason as DomainError).message).toMatch(
        /already (approved|rejected) by (First|Second) Organiser/,
      );
    });

    test('revoking, or the person naming another organisation, removes the badge everywhere', async () => {
      const organiser = await createOrganiser(db);
      const person = await createRespondent(db);
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      const comment = await insertComment(db, recommendation.id, { authorId: person.id });
      const approve = async () => {
        const { id } = await requestVerification(db, person, asking(), ctx());
        await decideVerification(db, organiser, id, decision('approve'), ctx());
      };

      await approve();
      await revokeVerification(db, organiser, person.id, 'Left the company', ctx());
      expect((await getMyVerification(db, person)).verified).toBe(false);
      expect(await authorVerified(comment.id)).toBe(false);
      expect(
        (await rejection(revokeVerification(db, organiser, person.id, 'Again', ctx()))).code,
      ).toBe('conflict');

      await approve();
      expect(await authorVerified(comment.id)).toBe(true);
      await updateProfile(
        db,
        person,
        ProfileSchema.parse({ segment: 'founder', organisation: 'Another Startup Ltd' }),
      );
      const mine = await getMyVerification(db, person);
      expect(mine.verified).toBe(false);
      expect(mine.requests[0]!.status).toBe('revoked');
      expect(await authorVerified(comment.id)).toBe(false);
    });

    test('only site-wide organisers see and decide requests', async () => {
      const person = await createRespondent(db);
      const consultation = await createConsultation(db);
      const local = await createRespondent(db);
      await grantRole(db, local.id, 'organiser', consultation.id);
      const localOrganiser: Viewer = await makeViewer(db, local.id);
      const { id } = await requestVerification(db, person, asking(), ctx());

      for (const viewer of [person, localOrganiser]) {
        expect(
          (
            await rejection(
              listVerificationRequests(db, viewer, { status: 'pending', cursor: null }),
            )
          ).code,
        ).toBe('forbidden');
        expect(
          (await rejection(decideVerification(db, viewer, id, decision('approve'), ctx()))).code,
        ).toBe('forbidden');
      }
      expect((await rejection(requestVerification(db, null, asking(), ctx()))).code).toBe(
        'unauthenticated',
      );
    });
  });
}

import type { Kysely, KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { decide, getOverview, getQueue, listModeratedConsultations } from '~/.server/moderation';
import { DecisionSchema, QueueFilterSchema } from '~/lib/schemas/moderation';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createUser,
  ctx,
  grantRole,
  insertComment,
  makeViewer,
} from '#tests/support/factories';

// The queue and the moderation index read a fixed number of queries however many rows they
// show: the decision counts of a queue page and the waiting counts of every consultation are
// set queries, not one query per row.

/** The same database, counting every statement run through it. */
function counting(db: Kysely<DB>) {
  let statements = 0;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      statements += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const withCount = db.withPlugin(plugin);
  return {
    db: withCount,
    async statementsOf(read: () => Promise<unknown>) {
      statements = 0;
      await read();
      return statements;
    },
  };
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

    async function moderatedConsultation() {
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      const user = await createUser(db);
      await grantRole(db, user.id, 'moderator', consultation.id);
      return { consultation, recommendation, moderator: await makeViewer(db, user.id) };
    }

    test('a queue page reads its decision counts in one query, whatever its length', async () => {
      const { consultation, recommendation, moderator } = await moderatedConsultation();
      const counted = counting(db);
      const queue = () =>
        getQueue(counted.db, moderator, consultation.slug, QueueFilterSchema.parse({}));
      const first = await insertComment(db, recommendation.id, { status: 'held' });
      const one = await counted.statementsOf(queue);

      // Escalated then undone: two decisions, and back in the queue as held.
      const escalated = await decide(
        db,
        moderator,
        consultation.slug,
        `c.${first.id}`,
        DecisionSchema.parse({ intent: 'escalate', seenSeq: '0', seenStatus: 'held' }),
        ctx(),
      );
      await decide(
        db,
        moderator,
        consultation.slug,
        `c.${first.id}`,
        DecisionSchema.parse({
          intent: 'undo',
          decisionId: escalated.decisionId,
          seenSeq: '1',
          seenStatus: 'held',
        }),
        ctx(),
      );
      const second = await insertComment(db, recommendation.id, { status: 'held' });
      await decide(
        db,
        moderator,
        consultation.slug,
        `c.${second.id}`,
        DecisionSchema.parse({ intent: 'escalate', seenSeq: '0', seenStatus: 'held' }),
        ctx(),
      );
      for (let i = 0; i < 5; i++) await insertComment(db, recommendation.id, { status: 'held' });

      expect(await counted.statementsOf(queue)).toBe(one);
      const page = await queue();
      expect(page.items).toHaveLength(7);
      const seen = new Map(page.items.map((item) => [item.ref, item.seen]));
      expect(seen.get(`c.${first.id}`)).toBe('2:held');
      expect(seen.get(`c.${second.id}`)).toBe('1:held');
      expect([...seen.values()].filter((s) => s === '0:held')).toHaveLength(5);
    });

    test('the moderation index counts what waits in every consultation in one query', async () => {
      const organiser = await createOrganiser(db);
      const counted = counting(db);
      const index = () => listModeratedConsultations(counted.db, organiser);
      await moderatedConsultation();
      const before = await counted.statementsOf(index);

      const waiting = new Map<string, number>();
      for (let n = 0; n < 4; n++) {
        const { consultation, recommendation } = await moderatedConsultation();
        for (let i = 0; i < n; i++) await insertComment(db, recommendation.id, { status: 'held' });
        waiting.set(consultation.slug, n);
      }

      expect(await counted.statementsOf(index)).toBe(before);
      const listed = await index();
      for (const [slug, n] of waiting) {
        expect(listed.find((c) => c.slug === slug)?.waiting).toBe(n);
      }
      // The same number the overview of each consultation counts on its own.
      for (const c of listed) {
        expect(c.waiting).toBe((await getOverview(db, organiser, c.slug)).total);
      }
    });
  });
}

import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import { createConsultation, createRecommendation } from '#tests/support/factories';

function numbers(db: Kysely<DB>, consultationId: string) {
  return db
    .selectFrom('recommendations')
    .select(['slug', 'number'])
    .where('consultation_id', '=', consultationId)
    .orderBy('number')
    .execute();
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

    test('a transaction that throws is rolled back, and the database stays usable', async () => {
      const consultation = await createConsultation(db);

      await expect(
        db.transaction().execute(async (trx) => {
          await trx
            .updateTable('consultations')
            .set({ title: 'Half-done change' })
            .where('id', '=', consultation.id)
            .execute();
          throw new Error('something went wrong mid-transaction');
        }),
      ).rejects.toThrow('something went wrong');

      const row = await db
        .selectFrom('consultations')
        .select('title')
        .where('id', '=', consultation.id)
        .executeTakeFirstOrThrow();
      expect(row.title).toBe(consultation.title);
    });

    test('a transaction whose statement fails is rolled back, and the next query works', async () => {
      const consultation = await createConsultation(db);

      await expect(
        db.transaction().execute(async (trx) => {
          await trx
            .updateTable('consultations')
            .set({ title: 'Not kept' })
            .where('id', '=', consultation.id)
            .execute();
          await trx
            .updateTable('consultations')
            .set({ slug: 'Not A Valid Slug' })
            .where('id', '=', consultation.id)
            .execute();
        }),
      ).rejects.toThrow(/check constraint/);

      const row = await db
        .selectFrom('consultations')
        .select('title')
        .where('id', '=', consultation.id)
        .executeTakeFirstOrThrow();
      expect(row.title).toBe(consultation.title);
    });

    test('a savepoint rolls back only its part of the transaction', async () => {
      const consultation = await createConsultation(db);

      const trx = await db.startTransaction().execute();
      await trx
        .updateTable('consultations')
        .set({ title: 'Kept' })
        .where('id', '=', consultation.id)
        .execute();
      const inner = await trx.savepoint('inner').execute();
      await inner
        .updateTable('consultations')
        .set({ summary: 'Dropped' })
        .where('id', '=', consultation.id)
        .execute();
      await inner.rollbackToSavepoint('inner').execute();
      await trx.commit().execute();

      const row = await db
        .selectFrom('consultations')
        .select(['title', 'summary'])
        .where('id', '=', consultation.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ title: 'Kept', summary: consultation.summary });
    });

    test('the deferred unique constraint lets a transaction swap two recommendation numbers', async () => {
      const consultation = await createConsultation(db);
      const a = await createRecommendation(db, consultation.id, { slug: 'a' });
      const b = await createRecommendation(db, consultation.id, { slug: 'b' });

      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('recommendations')
          .set({ number: b.number })
          .where('id', '=', a.id)
          .execute();
        await trx
          .updateTable('recommendations')
          .set({ number: a.number })
          .where('id', '=', b.id)
          .execute();
      });

      expect(await numbers(db, consultation.id)).toEqual([
        { slug: 'b', number: 1 },
        { slug: 'a', number: 2 },
      ]);
    });

    test('two recommendations left with the same number are refused at commit', async () => {
      const consultation = await createConsultation(db);
      const a = await createRecommendation(db, consultation.id, { slug: 'a' });
      await createRecommendation(db, consultation.id, { slug: 'b' });

      await expect(
        db.transaction().execute(async (trx) => {
          await trx
            .updateTable('recommendations')
            .set({ number: 2 })
            .where('id', '=', a.id)
            .execute();
        }),
      ).rejects.toMatchObject({ code: '23505' });

      expect(await numbers(db, consultation.id)).toEqual([
        { slug: 'a', number: 1 },
        { slug: 'b', number: 2 },
      ]);
    });

    test('count(*)::int comes back as a JS number', async () => {
      const consultation = await createConsultation(db);
      await createRecommendation(db, consultation.id);
      await createRecommendation(db, consultation.id);

      const row = await db
        .selectFrom('recommendations')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('consultation_id', '=', consultation.id)
        .executeTakeFirstOrThrow();

      expect(row.n).toBe(2);
    });

    test('an uncast count(*) differs by driver, which is why aggregates are cast in SQL', async () => {
      const row = await sql<{
        n: unknown;
      }>`select count(*) as n from (values (1), (2)) as v(x)`.execute(db);

      expect(row.rows[0]!.n).toEqual(backend === 'pg' ? '2' : 2);
    });

    test('timestamptz columns come back as Date objects holding the same instant', async () => {
      const closesAt = new Date('2026-12-01T17:00:00.000Z');
      const consultation = await createConsultation(db, {
        status: 'open',
        opens_at: new Date('2026-11-01T09:00:00.000Z'),
        closes_at: closesAt,
      });

      const row = await db
        .selectFrom('consultations')
        .select(['closes_at', 'created_at'])
        .where('id', '=', consultation.id)
        .executeTakeFirstOrThrow();

      expect(row.closes_at).toBeInstanceOf(Date);
      expect(row.closes_at!.toISOString()).toBe('2026-12-01T17:00:00.000Z');
      expect(row.created_at).toBeInstanceOf(Date);
      expect(Math.abs(row.created_at.getTime() - Date.now())).toBeLessThan(60_000);
    });

    test('jsonb comes back parsed and uuid defaults are generated', async () => {
      const consultation = await createConsultation(db);
      const { rows } = await sql<{
        doc: unknown;
      }>`select ${JSON.stringify({ a: [1, 'two'] })}::jsonb as doc`.execute(db);

      expect(rows[0]!.doc).toEqual({ a: [1, 'two'] });
      expect(consultation.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    if (backend === 'pglite') {
      test('pglite: concurrent transactions run one at a time, so a read-then-write loses no update', async () => {
        const consultation = await createConsultation(db);

        await Promise.all(
          Array.from({ length: 5 }, () =>
            db.transaction().execute(async (trx) => {
              const row = await trx
                .selectFrom('consultations')
                .select('version')
                .where('id', '=', consultation.id)
                .executeTakeFirstOrThrow();
              await new Promise((resolve) => setTimeout(resolve, 5));
              await trx
                .updateTable('consultations')
                .set({ version: row.version + 1 })
                .where('id', '=', consultation.id)
                .execute();
            }),
          ),
        );

        const row = await db
          .selectFrom('consultations')
          .select('version')
          .where('id', '=', consultation.id)
          .executeTakeFirstOrThrow();
        expect(row.version).toBe(consultation.version + 5);
      });

      test('pglite: streaming is refused with a message saying what to do instead', async () => {
        const stream = db.selectFrom('consultations').select('id').stream();
        await expect(stream.next()).rejects.toThrow(/not supported on PGlite/);
      });
    }
  });
}

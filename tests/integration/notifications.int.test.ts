import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import {
  countUnread,
  listNotifications,
  markAllRead,
  notify,
  NOTIFICATIONS_PAGE_SIZE,
} from '~/.server/notifications';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import { createUser } from '#tests/support/factories';

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    test('messages are listed newest first, paged by keyset, and only to their recipient', async () => {
      const [alice, bob] = [await createUser(db), await createUser(db)];
      for (let i = 0; i < NOTIFICATIONS_PAGE_SIZE + 3; i += 1) {
        await notify(db, { userId: alice.id, kind: 'test', subject: `Message ${i}`, body: 'Body' });
      }
      await notify(db, { userId: bob.id, kind: 'test', subject: 'For Bob', body: 'Body' });

      const first = await listNotifications(db, alice.id);
      expect(first.items).toHaveLength(NOTIFICATIONS_PAGE_SIZE);
      expect(first.next).not.toBeNull();
      const second = await listNotifications(db, alice.id, { after: first.next! });
      expect(second.items).toHaveLength(3);
      expect(second.next).toBeNull();
      const subjects = [...first.items, ...second.items].map((n) => n.subject);
      expect(new Set(subjects).size).toBe(NOTIFICATIONS_PAGE_SIZE + 3);
      expect(subjects).not.toContain('For Bob');
    });

    test('unread messages are counted until the recipient reads them', async () => {
      const carol = await createUser(db);
      await notify(db, { userId: carol.id, kind: 'test', subject: 'One', body: 'Body' });
      await notify(db, { userId: carol.id, kind: 'test', subject: 'Two', body: 'Body' });
      expect(await countUnread(db, carol.id)).toBe(2);
      await markAllRead(db, carol.id);
      expect(await countUnread(db, carol.id)).toBe(0);
    });

    test('the database refuses a link that leaves the site', async () => {
      const dave = await createUser(db);
      await expect(
        notify(db, {
          userId: dave.id,
          kind: 'test',
          subject: 'Phish',
          body: 'Body',
          link: 'https://evil.example/',
        }),
      ).rejects.toThrow();
    });
  });
}

import { parse } from 'csv-parse/sync';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { recordAudit } from '~/.server/audit';
import {
  AUDIT_PAGE_SIZE,
  browseConsultationAudit,
  browseSiteAudit,
  consultationAuditCsv,
  siteAuditCsv,
} from '~/.server/audit-log';
import { exportConsultation } from '~/.server/exports';
import { AuditFilterSchema } from '~/lib/schemas/trust';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  createUser,
  grantRole,
  insertSubmittedResponse,
  makeViewer,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

const filter = (fields: Record<string, string> = {}) => AuditFilterSchema.parse(fields);

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function event(
      consultationId: string | null,
      actorId: string | null,
      action: string,
      fields: { targetType?: string; reason?: string; at?: string } = {},
    ) {
      await recordAudit(db, {
        actorId,
        action,
        targetType: fields.targetType ?? 'consultation',
        targetId: consultationId ?? 'site',
        consultationId,
        reason: fields.reason ?? null,
        requestId: 'req',
      });
      if (fields.at) {
        // Only a test may date an event: the trigger forbids it, so it is lifted around the insert.
        await sql`alter table audit_events disable trigger audit_events_append_only`.execute(db);
        await sql`update audit_events set occurred_at = ${fields.at}::timestamptz
          where id = (select max(id) from audit_events)`.execute(db);
        await sql`alter table audit_events enable trigger audit_events_append_only`.execute(db);
      }
    }

    test('the log filters by actor email, action, target type and UK date range, newest first', async () => {
      const organiser = await createOrganiser(db, { email: 'olive@example.test' });
      const other = await createUser(db, { email: 'otto@example.test' });
      const consultation = await createConsultation(db);
      await event(consultation.id, organiser.id, 'consultation.updated', {
        at: '2026-11-01T12:00:00Z',
      });
      await event(consultation.id, other.id, 'recommendation.created', {
        targetType: 'recommendation',
        at: '2026-11-02T23:30:00Z', // 23:30 UTC is still 2 November in London (GMT)
      });
      await event(consultation.id, organiser.id, 'recommendation.created', {
        targetType: 'recommendation',
        at: '2026-11-03T00:30:00Z',
      });

      const actions = async (fields: Record<string, string>) =>
        (
          await browseConsultationAudit(db, organiser, consultation.slug, filter(fields))
        ).events.map((e) => `${e.action}@${e.actor_email}`);
      expect(await actions({})).toEqual([
        'recommendation.created@olive@example.test',
        'recommendation.created@otto@example.test',
        'consultation.updated@olive@example.test',
      ]);
      expect(await actions({ actor: 'OLIVE@example.test' })).toEqual([
        'recommendation.created@olive@example.test',
        'consultation.updated@olive@example.test',
      ]);
      expect(await actions({ action: 'consultation.updated' })).toEqual([
        'consultation.updated@olive@example.test',
      ]);
      expect(await actions({ targetType: 'recommendation', to: '2026-11-02' })).toEqual([
        'recommendation.created@otto@example.test',
      ]);
      expect(await actions({ from: '2026-11-02', to: '2026-11-02' })).toEqual([
        'recommendation.created@otto@example.test',
      ]);
      const page = await browseConsultationAudit(db, organiser, consultation.slug, filter());
      expect(page.actions).toEqual(['consultation.updated', 'recommendation.created']);
      expect(page.targetTypes).toEqual(['consultation', 'recommendation']);
      expect(AuditFilterSchema.safeParse({ from: '2026-02-30' }).success).toBe(false);
      expect(AuditFilterSchema.safeParse({ from: '2026-11-03', to: '2026-11-01' }).success).toBe(
        false,
      );
    });

    test('pages follow each other by id with no gaps or repeats, and the CSV holds every matching entry', async () => {
      const organiser = await createOrganiser(db);
      const consultation = await createConsultation(db);
      const total = AUDIT_PAGE_SIZE + 7;
      for (let i = 0; i < total; i++)
        await event(consultation.id, organiser.id, 'consultation.updated', { reason: `r${i}` });

      const seen: string[] = [];
      let before: string | undefined;
      for (let pages = 0; pages < 5; pages++) {
        const page = await browseConsultationAudit(
          db,
          organiser,
          consultation.slug,
          filter(before ? { before } : {}),
        );
        seen.push(...page.events.map((e) => e.reason!));
        if (!page.nextBefore) break;
        before = String(page.nextBefore);
      }
      expect(seen).toEqual(Array.from({ length: total }, (_, i) => `r${total - 1 - i}`));

      const { csv } = await consultationAuditCsv(db, organiser, consultation.slug, filter());
      const rows = parse(csv, { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(total);
      expect(rows[0]!.reason).toBe(`r${total - 1}`);
    });

    test('the CSV neutralises cells a spreadsheet would run as formulas', async () => {
      const organiser = await createOrganiser(db);
      const consultation = await createConsultation(db);
      const dangerous = [
        '=HYPERLINK("http://evil.example","x")',
        '+1+1',
        '-2+3',
        '@SUM(A1)',
        '\t=1',
      ];
      for (const reason of dangerous) await event(consultation.id, organiser.id, 'x.y', { reason });
      await event(consultation.id, organiser.id, 'x.y', { reason: 'plain, with "quotes"' });

      const { csv } = await consultationAuditCsv(db, organiser, consultation.slug, filter());
      const reasons = (parse(csv, { columns: true }) as Record<string, string>[]).map(
        (r) => r.reason,
      );

      expect(reasons).toEqual(['plain, with "quotes"', ...dangerous.map((d) => `'${d}`).reverse()]);
    });

    test('organisers read their consultation log; only site-wide organisers read the whole log', async () => {
      const consultation = await createConsultation(db);
      const local = await createUser(db);
      await grantRole(db, local.id, 'organiser', consultation.id);
      const localOrganiser = await makeViewer(db, local.id);
      const moderator = await createUser(db);
      await grantRole(db, moderator.id, 'moderator', consultation.id);
      const site = await createOrganiser(db);
      await event(null, site.id, 'account.suspended', { targetType: 'user' });

      await browseConsultationAudit(db, localOrganiser, consultation.slug, filter());
      for (const viewer of [
        localOrganiser,
        await makeViewer(db, moderator.id),
        await createRespondent(db),
      ]) {
        expect((await rejection(browseSiteAudit(db, viewer, filter()))).code).toBe('forbidden');
        expect((await rejection(siteAuditCsv(db, viewer, filter()))).code).toBe('forbidden');
      }
      expect(
        (
          await rejection(
            browseConsultationAudit(
              db,
              await makeViewer(db, moderator.id),
              consultation.slug,
              filter(),
            ),
          )
        ).code,
      ).toBe('forbidden');
      expect(
        (await rejection(browseConsultationAudit(db, null, consultation.slug, filter()))).code,
      ).toBe('unauthenticated');
      expect(
        (await rejection(browseConsultationAudit(db, site, 'no-such-consultation', filter()))).code,
      ).toBe('not_found');
      const whole = await browseSiteAudit(db, site, filter({ action: 'account.suspended' }));
      expect(whole.events.length).toBeGreaterThan(0);
    });

    test('the consultation export keeps private responses out and names only those who chose to be named', async () => {
      const organiser = await createOrganiser(db);
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      const answers = [{ recommendationId: recommendation.id, stance: 'support' as const }];
      const named = await insertSubmittedResponse(db, consultation.id, { answers });
      const anonymous = await insertSubmittedResponse(db, consultation.id, { answers });
      const hidden = await insertSubmittedResponse(db, consultation.id, { answers });
      for (const [r, consent] of [
        [named, 'named'],
        [anonymous, 'anonymous'],
        [hidden, 'private'],
      ] as const) {
        await db
          .updateTable('responses')
          .set({ consent, display_name: `Person ${consent}`, organisation: `Org ${consent}` })
          .where('id', '=', r.id)
          .execute();
      }
      await db
        .updateTable('submitted_answers')
        .set({ reasons: 'Because', quote_status: 'hidden' })
        .where('response_id', '=', anonymous.id)
        .execute();
      await db
        .updateTable('submitted_answers')
        .set({ reasons: 'Quotable' })
        .where('response_id', '=', named.id)
        .execute();
      await event(consultation.id, organiser.id, 'consultation.opened');

      const document = await exportConsultation(db, organiser, consultation.slug);

      expect(document.responses.map((r) => [r.reference, r.name, r.organisation])).toEqual([
        [named.reference, 'Person named', 'Org named'],
        [anonymous.reference, null, null],
      ]);
      expect(document.responses.map((r) => r.answers[0]!.reasons)).toEqual(['Quotable', null]);
      expect(JSON.stringify(document)).not.toContain('Person private');
      expect(document.recommendations).toHaveLength(1);
      expect(document.auditLog.map((e) => e.action)).toEqual(['consultation.opened']);
      expect(
        (await rejection(exportConsultation(db, await createRespondent(db), consultation.slug)))
          .code,
      ).toBe('forbidden');
    });
  });
}

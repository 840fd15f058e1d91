import { expect, test } from 'vitest';
import { neutraliseFormula } from '~/.server/audit-log';
import {
  AuditFilterSchema,
  SuspendSchema,
  TeamSchema,
  VerificationRequestSchema,
  ukDayBounds,
} from '~/lib/schemas/trust';

const request = (evidenceUrl: string) =>
  VerificationRequestSchema.safeParse({
    organisation: 'Acme',
    role: 'Founder',
    evidence: 'Team page',
    evidenceUrl,
  });

test('evidence links must be ordinary web addresses', () => {
  for (const bad of [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://files.example/x',
    'file:///etc/passwd',
    'acme.example/team',
    'http://',
    'mailto:ceo@acme.example',
  ]) {
    const result = request(bad);
    expect(result.success, bad).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'Enter a web address starting with https:// or http://',
    );
  }
  expect(request('https://acme.example/team').data?.evidenceUrl).toBe('https://acme.example/team');
  expect(request('HTTP://Acme.Example').data?.evidenceUrl).toBe('http://acme.example/');
  expect(request('').data?.evidenceUrl).toBeNull();
});

test('a suspension until a date needs a real date; other lengths need none', () => {
  const base = { intent: 'suspend', reason: 'Spam' };
  expect(SuspendSchema.safeParse({ ...base, length: 'until', until: '' }).success).toBe(false);
  expect(
    SuspendSchema.safeParse({ ...base, length: 'until', until: '2027-02-30T10:00' }).success,
  ).toBe(false);
  const until = SuspendSchema.parse({ ...base, length: 'until', until: '2027-07-01T10:00' });
  // 10:00 in London in summer is 09:00 UTC.
  expect(until.until?.toISOString()).toBe('2027-07-01T09:00:00.000Z');
  expect(SuspendSchema.parse({ ...base, length: 'permanent' })).toMatchObject({
    until: null,
    hideContent: false,
  });
  expect(SuspendSchema.parse({ ...base, length: '7d', hideContent: 'yes' }).hideContent).toBe(true);
  expect(SuspendSchema.safeParse({ ...base, length: '7d', extra: 'x' }).success).toBe(false);
  expect(SuspendSchema.safeParse({ intent: 'suspend', reason: ' ', length: '7d' }).success).toBe(
    false,
  );
});

test('team changes name an email and a staff role, or a grant to remove', () => {
  expect(
    TeamSchema.parse({ intent: 'grant', email: ' Mo@Example.test ', role: 'moderator' }),
  ).toEqual({ intent: 'grant', email: 'mo@example.test', role: 'moderator' });
  expect(
    TeamSchema.safeParse({ intent: 'grant', email: 'mo@example.test', role: 'admin' }).success,
  ).toBe(false);
  expect(TeamSchema.safeParse({ intent: 'revoke', grantId: '1 or 1=1' }).success).toBe(false);
});

test('audit filters accept empty fields, real dates in order, and known shapes only', () => {
  expect(AuditFilterSchema.parse({})).toEqual({
    actor: null,
    action: null,
    targetType: null,
    from: null,
    to: null,
    before: null,
  });
  expect(AuditFilterSchema.safeParse({ action: "x'; drop table" }).success).toBe(false);
  expect(AuditFilterSchema.safeParse({ before: '-1' }).success).toBe(false);
  expect(AuditFilterSchema.safeParse({ to: '2026-13-01' }).success).toBe(false);
  expect(AuditFilterSchema.parse({ before: '42' }).before).toBe(42);
});

test('a UK day runs from local midnight to the next, across the clock change', () => {
  // The clocks go back on 25 October 2026: that day lasts 25 hours.
  const { start, end } = ukDayBounds('2026-10-25');
  expect(start.toISOString()).toBe('2026-10-24T23:00:00.000Z');
  expect(end.toISOString()).toBe('2026-10-26T00:00:00.000Z');
});

test('CSV cells that a spreadsheet would run as formulas get a leading apostrophe', () => {
  expect(neutraliseFormula('=1+1')).toBe("'=1+1");
  expect(neutraliseFormula('+44 20 7946 0000')).toBe("'+44 20 7946 0000");
  expect(neutraliseFormula('-5')).toBe("'-5");
  expect(neutraliseFormula('@me')).toBe("'@me");
  expect(neutraliseFormula('\t=1')).toBe("'\t=1");
  expect(neutraliseFormula('a = b')).toBe('a = b');
});

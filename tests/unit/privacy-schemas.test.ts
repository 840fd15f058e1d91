import { expect, test } from 'vitest';
import { z } from 'zod';
import { DEFAULT_NOTICE, resolveNotice } from '~/lib/privacy';
import { DeleteAccountSchema, PrivacyNoticeSchema } from '~/lib/schemas/privacy';

function errors(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  return result.success ? {} : z.flattenError(result.error).fieldErrors;
}

test('the notice form turns empty boxes into "use the default" and checks months and email', () => {
  expect(PrivacyNoticeSchema.parse({ intent: 'privacy', deletionPolicy: 'erase' })).toEqual({
    intent: 'privacy',
    controller: null,
    lawfulBasis: null,
    published: null,
    retentionMonths: null,
    contactEmail: null,
    deletionPolicy: 'erase',
  });
  const valid = PrivacyNoticeSchema.parse({
    intent: 'privacy',
    retentionMonths: ' 18 ',
    contactEmail: ' Data@Example.ORG ',
    deletionPolicy: 'anonymise',
  });
  expect(valid).toMatchObject({ retentionMonths: 18, contactEmail: 'data@example.org' });
  for (const [months, message] of [
    ['two years', 'Enter the retention period as a whole number of months, like 24'],
    ['1.5', 'Enter the retention period as a whole number of months, like 24'],
    ['0', 'The retention period must be at least 1 month'],
    ['121', 'The retention period must be 120 months or fewer'],
  ]) {
    expect(
      errors(PrivacyNoticeSchema, {
        intent: 'privacy',
        retentionMonths: months,
        deletionPolicy: 'erase',
      }),
    ).toEqual({ retentionMonths: [message] });
  }
  expect(errors(PrivacyNoticeSchema, { intent: 'privacy', contactEmail: 'nope' })).toEqual({
    contactEmail: ['Enter a contact email address in the correct format, like name@example.com'],
    deletionPolicy: ['Choose what happens to a response when its author deletes their account'],
  });
});

test('deleting an account needs the box ticked and a password', () => {
  expect(errors(DeleteAccountSchema, {})).toEqual({
    password: ['Enter your password'],
    confirm: ['Confirm that you want to delete your account'],
  });
  expect(DeleteAccountSchema.parse({ password: 'x', confirm: 'yes' })).toEqual({
    password: 'x',
    confirm: 'yes',
  });
});

test('a notice takes each part a consultation set and the site default for the rest', () => {
  const site = { operator: 'Site Ltd', contactEmail: null };
  expect(resolveNotice(site)).toMatchObject({
    controller: 'Site Ltd',
    contactEmail: null,
    retentionMonths: DEFAULT_NOTICE.retentionMonths,
    deletionPolicy: 'anonymise',
  });
  expect(
    resolveNotice(site, {
      privacy_controller: null,
      privacy_lawful_basis: 'Public task',
      privacy_published: null,
      privacy_retention_months: 3,
      privacy_contact_email: 'a@b.org',
      deletion_policy: 'erase',
    }),
  ).toMatchObject({
    controller: 'Site Ltd',
    lawfulBasis: 'Public task',
    published: DEFAULT_NOTICE.published,
    retentionMonths: 3,
    contactEmail: 'a@b.org',
    deletionPolicy: 'erase',
  });
});

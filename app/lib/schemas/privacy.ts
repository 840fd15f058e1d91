import { z } from 'zod';
import { DELETION_POLICIES } from '../enums';
import { optionalText } from './fields';

export const DeleteAccountSchema = z.strictObject({
  password: z
    .string({ error: 'Enter your password' })
    .min(1, { error: 'Enter your password' })
    .max(256, { error: 'Password must be 256 characters or fewer' }),
  confirm: z.literal('yes', { error: 'Confirm that you want to delete your account' }),
});
export type DeleteAccountInput = z.infer<typeof DeleteAccountSchema>;

/** The organiser's privacy notice form; an empty box means "use the site default". */
export const PrivacyNoticeSchema = z.strictObject({
  intent: z.literal('privacy'),
  controller: optionalText('who is responsible for the data', 200),
  lawfulBasis: optionalText('the lawful basis', 2000),
  published: optionalText('what is published', 2000),
  retentionMonths: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const months = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
      const message = Number.isNaN(months)
        ? 'Enter the retention period as a whole number of months, like 24'
        : months < 1
          ? 'The retention period must be at least 1 month'
          : months > 120
            ? 'The retention period must be 120 months or fewer'
            : null;
      if (message) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return months;
    }),
  contactEmail: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v) => v ?? '')
    .pipe(
      z.union([
        z.literal('').transform(() => null),
        z.email({
          error: 'Enter a contact email address in the correct format, like name@example.com',
        }),
      ]),
    ),
  deletionPolicy: z.enum(DELETION_POLICIES, {
    error: 'Choose what happens to a response when its author deletes their account',
  }),
});
export type PrivacyNoticeInput = z.infer<typeof PrivacyNoticeSchema>;

import { z } from 'zod';
import { EMAIL_TOPICS } from '../enums';
import { emailField, newPasswordField } from './fields';
export * from '../forms/email';

export const newPassword = newPasswordField('Enter a new password');

const currentPassword = z
  .string({ error: 'Enter your current password' })
  .min(1, { error: 'Enter your current password' })
  .max(256, { error: 'Password must be 256 characters or fewer' });

const token = z.string({ error: 'This link is not complete' }).min(1).max(200);

export const ForgotPasswordSchema = z.strictObject({ email: emailField });
export type ForgotPasswordInput = z.infer<typeof ForgotPasswordSchema>;

export const ResetPasswordSchema = z.strictObject({ token, password: newPassword });
export type ResetPasswordInput = z.infer<typeof ResetPasswordSchema>;

export const ChangePasswordSchema = z.strictObject({ currentPassword, password: newPassword });
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

export const ChangeEmailSchema = z.strictObject({ email: emailField, currentPassword });
export type ChangeEmailInput = z.infer<typeof ChangeEmailSchema>;

const checkbox = z.literal('on').optional();

export const EmailPreferencesSchema = z
  .strictObject({ moderation: checkbox, account: checkbox, consultation_news: checkbox })
  .transform((value) => ({
    topics: EMAIL_TOPICS.filter((t) => value[t] === 'on'),
  }));
export type EmailPreferencesInput = z.infer<typeof EmailPreferencesSchema>;

/** An RFC 8058 one-click unsubscribe POST, or the button on our own page (sends nothing). */
export const UnsubscribeSchema = z.strictObject({
  'List-Unsubscribe': z.literal('One-Click').optional(),
});

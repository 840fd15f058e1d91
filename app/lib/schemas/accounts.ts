import { z } from 'zod';
import { emailField, optionalText, requiredText } from './fields';

export const SEGMENTS = ['founder', 'investor', 'other'] as const;

export const SEGMENT_LABELS: Record<(typeof SEGMENTS)[number], string> = {
  founder: 'Founder or startup team member',
  investor: 'Investor',
  other: 'Other',
};

/** Where to go after signing in: only paths on this site. */
export const safeRedirect = z
  .string()
  .optional()
  .transform((value) =>
    value && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
      ? value
      : '/',
  );

export const SignUpSchema = z
  .strictObject({
    email: emailField,
    password: z
      .string({ error: 'Enter a password' })
      .min(10, { error: 'Password must be at least 10 characters' })
      .max(256, { error: 'Password must be 256 characters or fewer' }),
    displayName: requiredText('your name', 100),
    organisation: optionalText('organisation', 200),
    segment: z.enum(SEGMENTS, { error: 'Select which best describes you' }),
    segmentOther: optionalText('description', 100),
    redirectTo: safeRedirect,
  })
  .superRefine((value, ctx) => {
    if (value.segment === 'other' && !value.segmentOther) {
      ctx.addIssue({
        code: 'custom',
        path: ['segmentOther'],
        message: 'Describe how you would like to be counted',
      });
    }
  })
  .transform((value) => ({
    ...value,
    segmentOther: value.segment === 'other' ? value.segmentOther : null,
  }));
export type SignUpInput = z.infer<typeof SignUpSchema>;

export const SignInSchema = z.strictObject({
  email: emailField,
  password: z
    .string({ error: 'Enter your password' })
    .min(1, { error: 'Enter your password' })
    .max(256, { error: 'Password must be 256 characters or fewer' }),
  redirectTo: safeRedirect,
});
export type SignInInput = z.infer<typeof SignInSchema>;

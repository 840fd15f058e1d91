import { z } from 'zod';
import { STAFF_ROLES } from '../enums';
import { parseUkInputValue } from '../dates';
import {
  emailField,
  optionalText,
  requiredText,
  ukDateField,
  ukDateTimeField,
  withDateParts,
} from './fields';

// Forms of the trust pages: suspensions, verification, team roles and the audit log filters.

const checkbox = z
  .literal('yes')
  .optional()
  .transform((value) => value === 'yes');

export const SUSPENSION_LENGTHS = ['1d', '7d', '30d', 'until', 'permanent'] as const;

export const SuspendSchema = z
  .strictObject({
    intent: z.literal('suspend'),
    reason: requiredText('the reason, which the person will see', 1000),
    length: z.enum(SUSPENSION_LENGTHS, { error: 'Choose how long the suspension lasts' }),
    until: ukDateTimeField('date and time the suspension ends'),
    hideContent: checkbox,
  })
  .superRefine((value, ctx) => {
    if (value.length === 'until' && !value.until) {
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'Enter the date and time the suspension ends',
      });
    }
  });
export type SuspendInput = z.infer<typeof SuspendSchema>;

export const LiftSchema = z.strictObject({
  intent: z.literal('lift'),
  reason: requiredText('why the suspension is lifted', 1000),
  restoreContent: checkbox,
});
export type LiftInput = z.infer<typeof LiftSchema>;

export const ContentSchema = z.strictObject({
  intent: z.enum(['hide-content', 'restore-content']),
  suspensionId: z.uuid({ error: 'Reload the page and try again' }),
});

export const RevokeVerificationSchema = z.strictObject({
  intent: z.literal('revoke-verification'),
  note: requiredText('why the verification is revoked', 1000),
});

export const AccountActionSchema = withDateParts(
  { until: true },
  z.discriminatedUnion('intent', [
    SuspendSchema,
    LiftSchema,
    ContentSchema,
    RevokeVerificationSchema,
  ]),
);

export const FindAccountSchema = z.strictObject({ email: emailField });

/** Evidence links are followed by organisers: only ordinary web addresses. */
const evidenceUrl = z
  .string()
  .trim()
  .max(2000, { error: 'The link must be 2,000 characters or fewer' })
  .optional()
  .transform((value, ctx) => {
    if (!value) return null;
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
      ctx.addIssue({
        code: 'custom',
        message: 'Enter a web address starting with https:// or http://',
      });
      return z.NEVER;
    }
    return url.href;
  });

export const VerificationRequestSchema = z.strictObject({
  organisation: requiredText('the name of your organisation', 200),
  role: requiredText('your role there', 200),
  evidence: requiredText('how we can check this', 2000),
  evidenceUrl,
});
export type VerificationRequestInput = z.infer<typeof VerificationRequestSchema>;

export const VerificationDecisionSchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject'], { error: 'Choose approve or reject' }),
    note: optionalText('the note', 1000),
  })
  .superRefine((value, ctx) => {
    if (value.decision === 'reject' && !value.note) {
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'Enter a note saying why, which the person will see',
      });
    }
  });
export type VerificationDecisionInput = z.infer<typeof VerificationDecisionSchema>;

export const TeamSchema = z.discriminatedUnion('intent', [
  z.strictObject({
    intent: z.literal('grant'),
    email: emailField,
    role: z.enum(STAFF_ROLES, { error: 'Choose moderator or organiser' }),
  }),
  z.strictObject({
    intent: z.literal('revoke'),
    grantId: z.uuid({ error: 'Reload the page and try again' }),
  }),
  z.strictObject({
    intent: z.literal('resend-invitation'),
    invitationId: z.uuid({ error: 'Reload the page and try again' }),
  }),
  z.strictObject({
    intent: z.literal('revoke-invitation'),
    invitationId: z.uuid({ error: 'Reload the page and try again' }),
  }),
]);
export type TeamInput = z.infer<typeof TeamSchema>;

/** The instants a UK calendar day starts and ends (the next day's start). */
export function ukDayBounds(day: string) {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { start: parseUkInputValue(`${day}T00:00`)!, end: parseUkInputValue(`${next}T00:00`)! };
}

/** Audit log filters, read from the address; every field may be empty. */
export const AuditFilterSchema = withDateParts(
  { from: false, to: false },
  z
    .object({
      actor: z
        .string()
        .trim()
        .toLowerCase()
        .max(254, { error: 'Email address must be 254 characters or fewer' })
        .optional()
        .transform((v) => v || null),
      action: z
        .string()
        .trim()
        .max(80)
        .regex(/^[a-z_.]*$/, { error: 'Choose an action from the list' })
        .optional()
        .transform((v) => v || null),
      targetType: z
        .string()
        .trim()
        .max(40)
        .regex(/^[a-z_]*$/, { error: 'Choose a target type from the list' })
        .optional()
        .transform((v) => v || null),
      from: ukDateField('start date'),
      to: ukDateField('end date'),
      before: z
        .string()
        .regex(/^\d{1,18}$/, { error: 'That page link is not valid' })
        .optional()
        .transform((v) => (v ? Number(v) : null)),
    })
    .superRefine((value, ctx) => {
      if (value.from && value.to && value.to < value.from) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: 'End date must be on or after the start date',
        });
      }
    }),
);
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

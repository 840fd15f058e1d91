import { z } from 'zod';
import {
  optionalText,
  requiredText,
  slugField,
  ukDateTimeField,
  versionField,
  withDateParts,
} from './fields';
import { PrivacyNoticeSchema } from './privacy';

const consultationFields = {
  title: requiredText('a title', 200),
  summary: requiredText('a summary', 1000),
  body: optionalText('the description', 50000).transform((v) => v ?? ''),
  runBy: requiredText('who runs the consultation', 200),
  opensAt: ukDateTimeField('opening date and time'),
  closesAt: ukDateTimeField('closing date and time'),
};

function datesInOrder(
  value: { opensAt: Date | null; closesAt: Date | null },
  ctx: z.RefinementCtx,
) {
  if (value.opensAt && value.closesAt && value.closesAt <= value.opensAt) {
    ctx.addIssue({
      code: 'custom',
      path: ['closesAt'],
      message: 'Closing date must be after the opening date',
    });
  }
}

/** The date fields of a consultation form, typed as day, month, year and time boxes. */
export const CONSULTATION_DATES = { opensAt: true, closesAt: true };

export const NewConsultationSchema = withDateParts(
  CONSULTATION_DATES,
  z.strictObject({ ...consultationFields, slug: slugField }).superRefine(datesInOrder),
);
export type NewConsultationInput = z.infer<typeof NewConsultationSchema>;

export const EditConsultationSchema = z
  .strictObject({ ...consultationFields, intent: z.literal('save'), version: versionField })
  .superRefine(datesInOrder);
export type EditConsultationInput = z.infer<typeof EditConsultationSchema>;

/** Open (or reopen), close, or start analysing the responses of a closed consultation. */
export const ConsultationStatusSchema = z.strictObject({
  intent: z.enum(['open', 'close', 'analyse'], { error: 'Choose open, close or analyse' }),
  version: versionField,
});
export type ConsultationStatusInput = z.infer<typeof ConsultationStatusSchema>;

/** The closing page's buttons: close now, or, once closed, start analysing the responses. */
export const CloseConsultationSchema = z.strictObject({
  intent: z.enum(['close', 'analyse'], { error: 'Choose close or analyse' }),
  version: versionField,
});

/** Sent by the confirm button of a ConfirmChange panel, after the change was spelt out. */
const confirmedField = z.literal('yes').optional();

export const MoveRecommendationSchema = z.strictObject({
  intent: z.enum(['move-up', 'move-down']),
  recommendationId: z.uuid({ error: 'Choose a recommendation' }),
  confirmed: confirmedField,
  // The position the organiser was shown when confirming, so a move made meanwhile by someone
  // else is not confirmed on the strength of an out-of-date description.
  fromNumber: z.coerce.number().int().min(1).optional(),
});
export type MoveRecommendationInput = z.infer<typeof MoveRecommendationSchema>;

const recommendationFields = {
  title: requiredText('a title', 200),
  summary: requiredText('a summary', 1000),
  rationale: optionalText('the rationale', 50000).transform((v) => v ?? ''),
};

export const NewRecommendationSchema = z.strictObject({
  ...recommendationFields,
  slug: slugField.optional().or(z.literal('').transform(() => undefined)),
});
export type NewRecommendationInput = z.infer<typeof NewRecommendationSchema>;

export const EditRecommendationSchema = z.strictObject({
  ...recommendationFields,
  intent: z.literal('save'),
  version: versionField,
  confirmed: confirmedField,
});
export type EditRecommendationInput = z.infer<typeof EditRecommendationSchema>;

export const RemoveRecommendationSchema = z.strictObject({
  intent: z.literal('remove'),
  version: versionField,
});

/** A web-address slug from a title: "Open source first!" → "open-source-first". */
export function slugify(text: string) {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}

/** Every form on a consultation's organiser page, told apart by its `intent` button. */
export const OrganiseConsultationSchema = withDateParts(
  CONSULTATION_DATES,
  z.discriminatedUnion('intent', [
    EditConsultationSchema,
    ConsultationStatusSchema,
    MoveRecommendationSchema,
    PrivacyNoticeSchema,
  ]),
);

/** The edit page of a recommendation: save changes or remove it. */
export const OrganiseRecommendationSchema = z.discriminatedUnion('intent', [
  EditRecommendationSchema,
  RemoveRecommendationSchema,
]);

import { z } from 'zod';
import { idempotencyKeyField, optionalText } from './fields';
import {
  CONSENTS,
  FOUNDER_STAGES,
  INVESTOR_TYPES,
  SEGMENTS,
  STANCES,
  type OrganisationStage,
} from '../enums';
import {
  REASONS_MAX,
  CHANGE_MIND_MAX,
  OVERALL_MAX,
  REGIONS,
  CONSENT_REQUIRED,
} from '../forms/responses';
export * from '../forms/responses';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** One recommendation's page of the questionnaire. Everything is optional: people may skip. */
export const AnswerSchema = z
  .strictObject({
    stance: z.preprocess(
      emptyToUndefined,
      z.enum(STANCES, { error: 'Choose one of the options' }).optional(),
    ),
    importance: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ error: 'Choose how important this is, from 1 to 5' })
        .int({ error: 'Choose how important this is, from 1 to 5' })
        .min(1, { error: 'Choose how important this is, from 1 to 5' })
        .max(5, { error: 'Choose how important this is, from 1 to 5' })
        .optional(),
    ),
    reasons: optionalText('your reasons', REASONS_MAX),
    changeMind: optionalText('what would change your mind', CHANGE_MIND_MAX),
    idempotencyKey: idempotencyKeyField,
  })
  .superRefine((value, ctx) => {
    const saidSomething = value.importance !== undefined || value.reasons || value.changeMind;
    if (saidSomething && !value.stance) {
      ctx.addIssue({
        code: 'custom',
        path: ['stance'],
        message: 'Choose how far you support this recommendation, or "No view"',
      });
    }
  });
export type AnswerInput = z.infer<typeof AnswerSchema>;

const profileFields = {
  segment: z.enum(SEGMENTS, { error: 'Select which best describes you' }),
  segmentOther: optionalText('description', 100),
  organisation: optionalText('organisation', 200),
  organisationStage: z.preprocess(emptyToUndefined, z.string().optional()),
  region: z.preprocess(
    emptyToUndefined,
    z.enum(REGIONS, { error: 'Choose a region from the list' }).optional(),
  ),
};
type ProfileFields = z.output<z.ZodObject<typeof profileFields>>;

function checkProfile(value: ProfileFields, ctx: z.RefinementCtx) {
  if (value.segment === 'other' && !value.segmentOther) {
    ctx.addIssue({
      code: 'custom',
      path: ['segmentOther'],
      message: 'Describe how you would like to be counted',
    });
  }
  const allowed: readonly string[] =
    value.segment === 'founder'
      ? FOUNDER_STAGES
      : value.segment === 'investor'
        ? INVESTOR_TYPES
        : [];
  // "Other" has no stage: whatever the always-shown stage list still holds is cleared below.
  if (
    value.segment !== 'other' &&
    value.organisationStage &&
    !allowed.includes(value.organisationStage)
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['organisationStage'],
      message:
        value.segment === 'investor'
          ? 'Choose the kind of investor you are from the list'
          : 'Choose your company’s stage from the list',
    });
  }
}

function normaliseProfile<T extends ProfileFields>(value: T) {
  return {
    ...value,
    segmentOther: value.segment === 'other' ? value.segmentOther : null,
    organisationStage:
      value.segment === 'other'
        ? null
        : ((value.organisationStage ?? null) as OrganisationStage | null),
    region: value.region ?? null,
  };
}

/** "About you", asked before a first response and editable at any time. */
export const ProfileSchema = z
  .strictObject(profileFields)
  .superRefine(checkProfile)
  .transform(normaliseProfile);
export type ProfileInput = z.infer<typeof ProfileSchema>;

/** The same details as the questionnaire's first page, which carries the form's key. */
export const ProfileStepSchema = z
  .strictObject({ ...profileFields, idempotencyKey: idempotencyKeyField })
  .superRefine(checkProfile)
  .transform(normaliseProfile);
export type ProfileStepInput = z.infer<typeof ProfileStepSchema>;

/** The last page: overall comments and how the response may be published. */
export const FinalStepSchema = z.strictObject({
  overallComments: optionalText('your overall comments', OVERALL_MAX),
  consent: z.enum(CONSENTS, { error: CONSENT_REQUIRED }),
  idempotencyKey: idempotencyKeyField,
});
export type FinalStepInput = z.infer<typeof FinalStepSchema>;

/** The check-answers page's submit button carries a key made when the page was shown. */
export const SubmitResponseSchema = z.strictObject({
  submissionKey: z.uuid({ error: 'Reload the page and submit again' }),
});

export const WithdrawResponseSchema = z.strictObject({
  idempotencyKey: z.uuid({ error: 'Reload the page and withdraw again' }),
});

export const ConsentSchema = z.strictObject({
  consent: z.enum(CONSENTS, { error: CONSENT_REQUIRED }),
});

/** Organisers' filters on the list of responses; anything unknown is a 400 with the options. */
export const ResponseFiltersSchema = z.strictObject({
  segment: z.preprocess(emptyToUndefined, z.enum(SEGMENTS).optional()),
  recommendation: z.preprocess(emptyToUndefined, z.string().max(80).optional()),
  stance: z.preprocess(emptyToUndefined, z.enum(STANCES).optional()),
  after: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
});
export type ResponseFilters = z.infer<typeof ResponseFiltersSchema>;

import { z } from 'zod';
import { idempotencyKeyField, optionalText } from './fields';
import {
  CONSENTS,
  FOUNDER_STAGES,
  INVESTOR_TYPES,
  SEGMENTS,
  STANCES,
  type Consent,
  type OrganisationStage,
  type Stance,
} from '../enums';

export const STANCE_LABELS: Record<Stance, string> = {
  strongly_support: 'Strongly support',
  support: 'Support',
  neutral: 'Neither support nor oppose',
  oppose: 'Oppose',
  strongly_oppose: 'Strongly oppose',
  no_view: 'No view',
};

export const IMPORTANCE_LABELS: Record<number, string> = {
  1: 'Not important',
  2: 'Slightly important',
  3: 'Moderately important',
  4: 'Very important',
  5: 'Extremely important',
};

export const REASONS_MAX = 5000;
export const CHANGE_MIND_MAX = 2000;
export const OVERALL_MAX = 10000;

export const STAGE_LABELS: Record<string, string> = {
  pre_seed: 'Pre-seed',
  seed: 'Seed',
  series_a: 'Series A',
  series_b_plus: 'Series B or later',
  growth: 'Growth or profitable scale-up',
  angel: 'Angel investor',
  vc: 'Venture capital fund',
  cvc: 'Corporate venture capital',
  other_investor: 'Other investor (for example a family office or public fund)',
};

/** The UK's nations and English regions (ITL1), and a choice for everyone else. */
export const REGIONS = [
  'North East',
  'North West',
  'Yorkshire and the Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
  'Wales',
  'Scotland',
  'Northern Ireland',
  'Outside the UK',
] as const;

export const CONSENT_LABELS: Record<Consent, { label: string; hint: string }> = {
  anonymous: {
    label: 'Publish my answers anonymously',
    hint: 'We may quote what you wrote in the published summary and results, without your name or organisation.',
  },
  named: {
    label: 'Publish my answers with my name and organisation',
    hint: 'We may quote what you wrote with your name, organisation and role next to it.',
  },
  private: {
    label: 'Do not publish my answers',
    hint: 'Your answers are counted in the results, but nothing you wrote is shown publicly.',
  },
};

/** The server's answer when no publishing option was chosen: nothing is chosen for anyone. */
export const CONSENT_REQUIRED = 'Choose how your response may be published';

/** The publishing choice in a table cell. */
export const CONSENT_SHORT: Record<Consent, string> = {
  named: 'With name',
  anonymous: 'Anonymously',
  private: 'Not published',
};

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

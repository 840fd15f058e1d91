import { type Consent, type Stance } from '../enums';

// What the responses forms and pages show and limit: labels, options and lengths, without zod,
// so that pages can import them without the schemas (app/lib/schemas/responses.ts) in the browser's bundle.

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

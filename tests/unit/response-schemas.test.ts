import { expect, test } from 'vitest';
import {
  AnswerSchema,
  FinalStepSchema,
  ProfileSchema,
  ResponseFiltersSchema,
} from '~/lib/schemas/responses';

function issuesOf(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string; code: string }[] };
}) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({
    path: i.path.join('.'),
    message: i.message,
    code: i.code,
  }));
}

/** The fields that carry an error, as an error summary would list them. */
function fieldsInError(result: Parameters<typeof issuesOf>[0]) {
  return issuesOf(result).map((i) => i.path);
}

const emptyAnswerPage = { stance: '', importance: '', reasons: '', changeMind: '' };

test('AnswerSchema asks for a view when reasons are given without one', () => {
  const issues = issuesOf(
    AnswerSchema.safeParse({ ...emptyAnswerPage, reasons: 'It would help small firms.' }),
  );

  expect(issues).toEqual([
    {
      path: 'stance',
      message: 'Choose how far you support this recommendation, or "No view"',
      code: 'custom',
    },
  ]);
});

test('AnswerSchema asks for a view when only an importance is given', () => {
  expect(fieldsInError(AnswerSchema.safeParse({ ...emptyAnswerPage, importance: '3' }))).toEqual([
    'stance',
  ]);
});

test('AnswerSchema refuses an importance outside 1 to 5, or not a number, on the importance field', () => {
  for (const importance of ['6', '0', 'x', '2.5']) {
    const issues = issuesOf(
      AnswerSchema.safeParse({ ...emptyAnswerPage, stance: 'support', importance }),
    );
    expect(issues, `importance ${importance}`).toEqual([
      expect.objectContaining({
        path: 'importance',
        message: 'Choose how important this is, from 1 to 5',
      }),
    ]);
  }
});

test('AnswerSchema refuses reasons over 5,000 characters, saying the limit', () => {
  const issues = issuesOf(
    AnswerSchema.safeParse({ ...emptyAnswerPage, stance: 'oppose', reasons: 'a'.repeat(5001) }),
  );

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'reasons',
      message: 'Your reasons must be 5,000 characters or fewer',
    }),
  ]);
});

test('AnswerSchema accepts reasons of exactly 5,000 characters', () => {
  const parsed = AnswerSchema.parse({
    ...emptyAnswerPage,
    stance: 'oppose',
    reasons: 'a'.repeat(5000),
  });

  expect(parsed.reasons).toHaveLength(5000);
});

test('AnswerSchema refuses a stance that is not one of the options', () => {
  expect(fieldsInError(AnswerSchema.safeParse({ ...emptyAnswerPage, stance: 'love_it' }))).toEqual([
    'stance',
  ]);
});

test('AnswerSchema reads a page left empty as no answer at all', () => {
  const parsed = AnswerSchema.parse(emptyAnswerPage);

  expect(parsed.stance).toBeUndefined();
  expect(parsed.importance).toBeUndefined();
  expect(parsed.reasons).toBeNull();
  expect(parsed.changeMind).toBeNull();
});

test('AnswerSchema trims text and turns the importance into a number', () => {
  const parsed = AnswerSchema.parse({
    stance: 'strongly_support',
    importance: '5',
    reasons: '  Because.  ',
    changeMind: '   ',
  });

  expect(parsed).toEqual({
    stance: 'strongly_support',
    importance: 5,
    reasons: 'Because.',
    changeMind: null,
  });
});

test('AnswerSchema refuses a field it does not know', () => {
  const issues = issuesOf(
    AnswerSchema.safeParse({ ...emptyAnswerPage, stance: 'support', responseId: 'someone-else' }),
  );

  expect(issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);
});

test('ProfileSchema refuses an investor type for a founder, on the stage field', () => {
  const issues = issuesOf(ProfileSchema.safeParse({ segment: 'founder', organisationStage: 'vc' }));

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'organisationStage',
      message: 'Choose your company’s stage from the list',
    }),
  ]);
});

test('ProfileSchema refuses a company stage for an investor, on the stage field', () => {
  const issues = issuesOf(
    ProfileSchema.safeParse({ segment: 'investor', organisationStage: 'seed' }),
  );

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'organisationStage',
      message: 'Choose the kind of investor you are from the list',
    }),
  ]);
});

test('ProfileSchema asks someone who chose "other" to describe themselves', () => {
  const issues = issuesOf(ProfileSchema.safeParse({ segment: 'other', segmentOther: '  ' }));

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'segmentOther',
      message: 'Describe how you would like to be counted',
    }),
  ]);
});

test('ProfileSchema refuses a region that is not in the list', () => {
  const issues = issuesOf(ProfileSchema.safeParse({ segment: 'founder', region: 'Atlantis' }));

  expect(issues).toEqual([
    expect.objectContaining({ path: 'region', message: 'Choose a region from the list' }),
  ]);
});

test('ProfileSchema clears the stage for "other", even when the stage list still holds one', () => {
  const parsed = ProfileSchema.parse({
    segment: 'other',
    segmentOther: 'Researcher',
    organisationStage: 'seed',
    organisation: '',
    region: '',
  });

  expect(parsed).toEqual({
    segment: 'other',
    segmentOther: 'Researcher',
    organisation: null,
    organisationStage: null,
    region: null,
  });
});

test('ProfileSchema keeps a founder’s stage and region and drops a stale "other" description', () => {
  const parsed = ProfileSchema.parse({
    segment: 'founder',
    segmentOther: 'Left over',
    organisation: ' Acme ',
    organisationStage: 'series_a',
    region: 'Wales',
  });

  expect(parsed).toEqual({
    segment: 'founder',
    segmentOther: null,
    organisation: 'Acme',
    organisationStage: 'series_a',
    region: 'Wales',
  });
});

test('FinalStepSchema requires a publishing choice', () => {
  const issues = issuesOf(FinalStepSchema.safeParse({ overallComments: 'All good.' }));

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'consent',
      message: 'Choose how your response may be published',
    }),
  ]);
  expect(fieldsInError(FinalStepSchema.safeParse({ consent: 'everyone' }))).toEqual(['consent']);
});

test('FinalStepSchema makes the overall comments optional', () => {
  expect(FinalStepSchema.parse({ consent: 'private' })).toEqual({
    consent: 'private',
    overallComments: null,
  });
  expect(FinalStepSchema.parse({ consent: 'named', overallComments: '' })).toEqual({
    consent: 'named',
    overallComments: null,
  });
});

test('ResponseFiltersSchema refuses a stance that is not one of the options', () => {
  expect(
    fieldsInError(ResponseFiltersSchema.safeParse({ recommendation: 'r1', stance: 'meh' })),
  ).toEqual(['stance']);
});

test('ResponseFiltersSchema reads empty filters as no filter', () => {
  expect(
    ResponseFiltersSchema.parse({ segment: '', recommendation: '', stance: '', after: '' }),
  ).toEqual({ segment: undefined, recommendation: undefined, stance: undefined, after: undefined });
});

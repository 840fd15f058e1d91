import { z } from 'zod';
import { expect, test } from 'vitest';
import { SignInSchema, SignUpSchema } from '~/lib/schemas/accounts';
import {
  EditConsultationSchema,
  NewConsultationSchema,
  NewRecommendationSchema,
  slugify,
} from '~/lib/schemas/consultations';

const validSignUp = {
  email: 'ada@example.com',
  password: 'long enough password',
  displayName: 'Ada Lovelace',
  segment: 'founder',
};

const validConsultation = {
  slug: 'open-data',
  title: 'Open data',
  summary: 'Should we publish it?',
  runBy: 'The data team',
  opensAt: '2026-11-01T09:00',
  closesAt: '2026-12-01T17:00',
};

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

test('SignUpSchema trims the email and makes it lower case', () => {
  const parsed = SignUpSchema.parse({ ...validSignUp, email: '  Ada.Lovelace@Example.COM ' });

  expect(parsed.email).toBe('ada.lovelace@example.com');
});

test('SignUpSchema refuses a short password with a message saying how long it must be', () => {
  const issues = issuesOf(SignUpSchema.safeParse({ ...validSignUp, password: 'short' }));

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'password',
      message: 'Password must be at least 10 characters',
    }),
  ]);
});

test('SignUpSchema refuses an email that is not an address, in plain words', () => {
  const issues = issuesOf(SignUpSchema.safeParse({ ...validSignUp, email: 'not-an-email' }));

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'email',
      message: expect.stringMatching(/like name@example.com/),
    }),
  ]);
});

test('SignUpSchema asks people counted as "other" to describe themselves', () => {
  const issues = issuesOf(SignUpSchema.safeParse({ ...validSignUp, segment: 'other' }));
  const described = SignUpSchema.parse({
    ...validSignUp,
    segment: 'other',
    segmentOther: ' Researcher ',
  });

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'segmentOther',
      message: 'Describe how you would like to be counted',
    }),
  ]);
  expect(described.segmentOther).toBe('Researcher');
});

test('SignUpSchema drops a description given with a segment other than "other"', () => {
  const parsed = SignUpSchema.parse({ ...validSignUp, segment: 'investor', segmentOther: 'Angel' });

  expect(parsed.segmentOther).toBeNull();
});

test('SignUpSchema turns an empty organisation into null and requires a name', () => {
  expect(SignUpSchema.parse({ ...validSignUp, organisation: '   ' }).organisation).toBeNull();
  const issues = issuesOf(SignUpSchema.safeParse({ ...validSignUp, displayName: '  ' }));
  expect(issues).toEqual([
    expect.objectContaining({ path: 'displayName', message: 'Enter your name' }),
  ]);
});

test('SignUpSchema refuses an unexpected field', () => {
  const issues = issuesOf(SignUpSchema.safeParse({ ...validSignUp, isAdmin: 'true' }));

  expect(issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);
});

test('SignUpSchema refuses an unknown segment', () => {
  const issues = issuesOf(SignUpSchema.safeParse({ ...validSignUp, segment: 'journalist' }));

  expect(issues).toEqual([
    expect.objectContaining({ path: 'segment', message: 'Select which best describes you' }),
  ]);
});

test('redirectTo keeps paths on this site and replaces anything else with /', () => {
  const redirectOf = (redirectTo: string | undefined) =>
    SignInSchema.parse({ email: 'a@example.com', password: 'x', redirectTo }).redirectTo;

  expect(redirectOf('/consultations/open-data?tab=2')).toBe('/consultations/open-data?tab=2');
  expect(redirectOf(undefined)).toBe('/');
  expect(redirectOf('https://evil.example/')).toBe('/');
  expect(redirectOf('//evil.example/')).toBe('/');
  expect(redirectOf('/\\evil.example')).toBe('/');
  expect(redirectOf('javascript:alert(1)')).toBe('/');
});

test('SignInSchema normalises the email and asks for a missing password', () => {
  expect(SignInSchema.parse({ email: ' Bob@Example.com', password: 'x' }).email).toBe(
    'bob@example.com',
  );
  const issues = issuesOf(SignInSchema.safeParse({ email: 'bob@example.com', password: '' }));
  expect(issues).toEqual([
    expect.objectContaining({ path: 'password', message: 'Enter your password' }),
  ]);
});

test('SignInSchema refuses an unexpected field and an overlong password', () => {
  expect(
    issuesOf(
      SignInSchema.safeParse({ email: 'b@example.com', password: 'x', role: 'organiser' }),
    )[0]?.code,
  ).toBe('unrecognized_keys');
  expect(
    issuesOf(SignInSchema.safeParse({ email: 'b@example.com', password: 'x'.repeat(257) }))[0]
      ?.path,
  ).toBe('password');
});

test('NewConsultationSchema reads the dates as UK time and leaves an empty body as ""', () => {
  const parsed = NewConsultationSchema.parse(validConsultation);

  expect(parsed.opensAt?.toISOString()).toBe('2026-11-01T09:00:00.000Z');
  expect(parsed.closesAt?.toISOString()).toBe('2026-12-01T17:00:00.000Z');
  expect(parsed.body).toBe('');
});

test('NewConsultationSchema treats empty dates as not set', () => {
  const parsed = NewConsultationSchema.parse({ ...validConsultation, opensAt: '', closesAt: ' ' });

  expect(parsed.opensAt).toBeNull();
  expect(parsed.closesAt).toBeNull();
});

test('NewConsultationSchema puts a closing date before the opening date as an error on closesAt', () => {
  const issues = issuesOf(
    NewConsultationSchema.safeParse({
      ...validConsultation,
      opensAt: '2026-12-01T17:00',
      closesAt: '2026-11-01T09:00',
    }),
  );

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'closesAt',
      message: 'Closing date must be after the opening date',
    }),
  ]);
});

test('NewConsultationSchema refuses a closing time equal to the opening time', () => {
  const issues = issuesOf(
    NewConsultationSchema.safeParse({
      ...validConsultation,
      opensAt: '2026-12-01T17:00',
      closesAt: '2026-12-01T17:00',
    }),
  );

  expect(issues.map((i) => i.path)).toEqual(['closesAt']);
});

test('NewConsultationSchema refuses a date that does not exist, like 31 February', () => {
  const issues = issuesOf(
    NewConsultationSchema.safeParse({ ...validConsultation, closesAt: '2026-02-31T10:00' }),
  );

  expect(issues).toEqual([
    expect.objectContaining({
      path: 'closesAt',
      message: expect.stringMatching(/^Enter a real closing date/),
    }),
  ]);
});

test('NewConsultationSchema reads dates typed in day, month, year and time boxes', () => {
  const { opensAt: _o, closesAt: _c, ...rest } = validConsultation;
  const boxes = {
    ...rest,
    opensAtDay: '2',
    opensAtMonth: '11',
    opensAtYear: '2026',
    opensAtTime: '9am',
    closesAtDay: '',
    closesAtMonth: '',
    closesAtYear: '',
    closesAtTime: '',
  };
  const parsed = NewConsultationSchema.parse(boxes);
  expect(parsed.opensAt?.toISOString()).toBe('2026-11-02T09:00:00.000Z');
  expect(parsed.closesAt).toBeNull();
  const partial = NewConsultationSchema.safeParse({
    ...boxes,
    closesAtDay: '4',
    closesAtYear: '2026',
  });
  expect(partial.success).toBe(false);
  expect(z.flattenError(partial.error!).fieldErrors.closesAt).toEqual([
    'Closing date and time must include a month and a time',
  ]);
});

test('NewConsultationSchema refuses a date in the wrong format', () => {
  const issues = issuesOf(
    NewConsultationSchema.safeParse({ ...validConsultation, opensAt: '01/11/2026 09:00' }),
  );

  expect(issues.map((i) => i.path)).toEqual(['opensAt']);
});

test.each([
  ['spaces', 'open data'],
  ['a leading hyphen', '-open-data'],
  ['a trailing hyphen', 'open-data-'],
  ['a double hyphen', 'open--data'],
  ['punctuation', 'open_data!'],
  ['more than 80 characters', 'a'.repeat(81)],
])('NewConsultationSchema refuses a slug with %s', (_what, slug) => {
  const issues = issuesOf(NewConsultationSchema.safeParse({ ...validConsultation, slug }));

  expect(new Set(issues.map((i) => i.path))).toEqual(new Set(['slug']));
});

test('NewConsultationSchema asks for a missing slug first of all', () => {
  const issues = issuesOf(NewConsultationSchema.safeParse({ ...validConsultation, slug: '  ' }));

  expect(issues[0]).toMatchObject({ path: 'slug', message: 'Enter a web address' });
  expect(new Set(issues.map((i) => i.path))).toEqual(new Set(['slug']));
});

test('NewConsultationSchema accepts a slug typed in capitals, lower-casing it', () => {
  expect(NewConsultationSchema.parse({ ...validConsultation, slug: ' Open-Data-2026 ' }).slug).toBe(
    'open-data-2026',
  );
});

test('NewConsultationSchema refuses unexpected fields and missing required ones', () => {
  expect(
    issuesOf(NewConsultationSchema.safeParse({ ...validConsultation, status: 'open' }))[0]?.code,
  ).toBe('unrecognized_keys');
  const { title: _title, ...withoutTitle } = validConsultation;
  expect(issuesOf(NewConsultationSchema.safeParse(withoutTitle))).toEqual([
    expect.objectContaining({ path: 'title', message: 'Enter a title' }),
  ]);
});

test('EditConsultationSchema reads the version from its hidden field as a number', () => {
  const { slug: _slug, ...fields } = validConsultation;

  expect(EditConsultationSchema.parse({ ...fields, intent: 'save', version: '3' }).version).toBe(3);
  expect(
    issuesOf(EditConsultationSchema.safeParse({ ...fields, intent: 'save', version: 'x' }))[0]
      ?.path,
  ).toBe('version');
});

test('NewRecommendationSchema treats an empty slug as "make one from the title"', () => {
  const parsed = NewRecommendationSchema.parse({
    title: 'Open models',
    summary: 'Publish them.',
    slug: '',
  });

  expect(parsed.slug).toBeUndefined();
  expect(parsed.rationale).toBe('');
});

test.each([
  ['Open source first!', 'open-source-first'],
  ['  Spaces   and\ttabs  ', 'spaces-and-tabs'],
  ['Café crème brûlée', 'cafe-creme-brulee'],
  ['Adopt an "open source first" policy', 'adopt-an-open-source-first-policy'],
  ['2026: the year of AI?', '2026-the-year-of-ai'],
  ['!!!', ''],
])('slugify(%j) is %j', (title, slug) => {
  expect(slugify(title)).toBe(slug);
});

test('slugify keeps long slugs within 80 characters without a trailing hyphen', () => {
  const slug = slugify(`${'word '.repeat(15)}ending`);

  expect(slug.length).toBeLessThanOrEqual(80);
  expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
});

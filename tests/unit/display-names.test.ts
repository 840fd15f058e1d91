import { describe, expect, test } from 'vitest';
import { displayNameProblem, readsAsStaff } from '~/lib/display-names';

describe('display names that pass as staff are refused', () => {
  test.each([
    'Moderator',
    'moderator team',
    'Site Admin',
    'ADMINISTRATOR',
    'The Organisers',
    'Organizer',
    'Official',
    'Staff',
    'Open Consultation',
    'OpenConsultation',
    'M0derat0r',
    '@dmin',
    'Мoderatоr', // Cyrillic М and о
    'ＡＤＭＩＮ', // full-width
    'Módérátor',
    'M o d e r a t o r',
    'A.D.M.I.N.',
    'Jane (moderator)',
  ])('%s', (name) => {
    expect(readsAsStaff(name)).toBe(true);
    expect(displayNameProblem(name)).toMatch(/staff role/);
  });
});

describe('real names are kept, whatever their script', () => {
  test.each([
    'Jane Stafford',
    'Ade Badminton',
    'Admiral Ackbar',
    'Zoë O’Brien',
    'Björk Guðmundsdóttir',
    '李明',
    'Νίκος Παππάς',
    'Олег Иванов',
    'Priya Patel-Smith',
    'A. N. Other',
    'Mod Ali',
  ])('%s', (name) => {
    expect(displayNameProblem(name)).toBeNull();
  });
});

test('invisible and text-direction characters are refused', () => {
  for (const name of ['Jane\u202eenaJ', 'A\u200bdmin', 'Jane\u2066Doe', 'Jane\u0007', 'X\ue000']) {
    expect(displayNameProblem(name)).toMatch(/invisible or text-direction/);
  }
});

test('sign-up refuses such a name on its field and keeps the rest', async () => {
  const { SignUpSchema } = await import('~/lib/schemas/accounts');
  const result = SignUpSchema.safeParse({
    email: 'someone@example.org',
    password: 'a long and unusual passphrase',
    displayName: 'Site M0derator',
    organisation: '',
    segment: 'founder',
    segmentOther: '',
  });
  expect(result.success).toBe(false);
  expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['displayName']);
});

import { expect, test } from 'vitest';
import type { RoleGrant, Viewer } from '~/.server/auth';
import {
  canModerate,
  isOrganiser,
  requireOrganiser,
  requireSignedIn,
  requireSiteOrganiser,
} from '~/.server/auth/permissions';

const HERE = '00000000-0000-4000-8000-000000000001';
const ELSEWHERE = '00000000-0000-4000-8000-000000000002';

function viewer(...roles: RoleGrant[]): Viewer {
  return {
    id: 'u1',
    email: 'a@example.org',
    displayName: 'A',
    segment: 'founder',
    emailConfirmed: true,
    roles,
    sessionId: 's1',
  };
}

const refusedWith = (code: string) => expect.objectContaining({ code });

test('someone signed out is asked to sign in, before any role is considered', () => {
  expect(() => requireSignedIn(null)).toThrow(refusedWith('unauthenticated'));
  expect(() => requireOrganiser(null, HERE)).toThrow(refusedWith('unauthenticated'));
  expect(() => requireSiteOrganiser(null)).toThrow(refusedWith('unauthenticated'));
});

test('an organiser of one consultation organises it and no other', () => {
  const me = viewer({ role: 'organiser', consultationId: HERE });
  expect(requireOrganiser(me, HERE)).toBe(me);
  expect(() => requireOrganiser(me, ELSEWHERE, 'Not yours.')).toThrow(
    expect.objectContaining({ code: 'forbidden', message: 'Not yours.' }),
  );
  expect(isOrganiser(me, ELSEWHERE)).toBe(false);
});

test('a site-wide organiser organises every consultation; one of a single consultation is not site-wide', () => {
  const site = viewer({ role: 'organiser', consultationId: null });
  expect(isOrganiser(site, HERE)).toBe(true);
  expect(requireSiteOrganiser(site)).toBe(site);
  const local = viewer({ role: 'organiser', consultationId: HERE });
  expect(() => requireSiteOrganiser(local)).toThrow(refusedWith('forbidden'));
});

test('moderators and organisers may moderate where they hold the role; moderating is not organising', () => {
  const moderator = viewer({ role: 'moderator', consultationId: HERE });
  expect(canModerate(moderator, HERE)).toBe(true);
  expect(canModerate(moderator, ELSEWHERE)).toBe(false);
  expect(isOrganiser(moderator, HERE)).toBe(false);
  expect(canModerate(viewer({ role: 'organiser', consultationId: HERE }), HERE)).toBe(true);
  expect(canModerate(viewer(), HERE)).toBe(false);
});

import { expect, test } from 'vitest';
import { phaseOf, PHASE_LABELS, type Phase } from '~/lib/phase';

const now = new Date('2026-06-15T12:00:00Z');
const before = new Date('2026-06-01T12:00:00Z');
const after = new Date('2026-07-01T12:00:00Z');

test.each<[string, Parameters<typeof phaseOf>[0], Phase]>([
  ['a draft, whatever its dates', { status: 'draft', opens_at: before, closes_at: after }, 'draft'],
  [
    'an open consultation between its dates',
    { status: 'open', opens_at: before, closes_at: after },
    'open',
  ],
  [
    'an open consultation with no opening date',
    { status: 'open', opens_at: null, closes_at: after },
    'open',
  ],
  [
    'an open consultation whose opening date is still ahead',
    { status: 'open', opens_at: after, closes_at: new Date('2026-08-01T00:00:00Z') },
    'upcoming',
  ],
  [
    'an open consultation past its closing date',
    { status: 'open', opens_at: before, closes_at: before },
    'closed',
  ],
  [
    'an open consultation at the very moment it closes',
    { status: 'open', opens_at: before, closes_at: now },
    'closed',
  ],
  [
    'an open consultation at the very moment it opens',
    { status: 'open', opens_at: now, closes_at: after },
    'open',
  ],
  [
    'a consultation closed early, before its closing date',
    { status: 'closed', opens_at: before, closes_at: after },
    'closed',
  ],
  [
    'a consultation whose responses are being analysed',
    { status: 'analysing', opens_at: before, closes_at: before },
    'analysing',
  ],
  [
    'a consultation whose summary is published',
    { status: 'published', opens_at: before, closes_at: before },
    'published',
  ],
])('phaseOf %s', (_what, consultation, phase) => {
  expect(phaseOf(consultation, now)).toBe(phase);
});

test('phaseOf uses the current time when none is given', () => {
  const soon = new Date(Date.now() + 60_000);
  expect(phaseOf({ status: 'open', opens_at: null, closes_at: soon })).toBe('open');
  expect(
    phaseOf({ status: 'open', opens_at: soon, closes_at: new Date(Date.now() + 120_000) }),
  ).toBe('upcoming');
});

test('every phase has a label for people', () => {
  expect(PHASE_LABELS).toEqual({
    draft: 'Draft',
    upcoming: 'Opening soon',
    open: 'Open for comment',
    closed: 'Closed',
    analysing: 'Analysing responses',
    published: 'Summary published',
  });
});

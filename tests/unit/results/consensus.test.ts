import { expect, test } from 'vitest';
import { consensusOf, consensusSentence, positionOf } from '~/lib/results/consensus';
import { emptyStanceCounts, type StanceCounts } from '~/lib/results/statistics';

function counts(partial: Partial<StanceCounts>): StanceCounts {
  return { ...emptyStanceCounts(), ...partial };
}
const group = (label: string, partial: Partial<StanceCounts>, hidden = false) => ({
  label,
  counts: counts(partial),
  hidden,
});

test('a majority is more than half of those with a view; "no view" does not count', () => {
  expect(positionOf(counts({ support: 6, neutral: 4, oppose: 1, no_view: 50 }))).toBe('support');
  expect(positionOf(counts({ support: 5, oppose: 5 }))).toBe('no_majority');
  expect(positionOf(counts({ strongly_oppose: 3, oppose: 3, neutral: 5 }))).toBe('oppose');
  expect(positionOf(counts({ support: 4, neutral: 2, oppose: 4 }))).toBe('no_majority');
  expect(positionOf(counts({ no_view: 9 }))).toBeNull();
});

test('founders and investors both with a majority in support agree', () => {
  const founders = group('founders', { strongly_support: 40, support: 38, oppose: 22 });
  const investors = group('investors', { support: 60, neutral: 10, oppose: 30 });
  expect(consensusOf(founders, investors)).toBe('agree_support');
  expect(consensusSentence(founders, investors)).toBe(
    'Founders 78% support, investors 60% support — both support.',
  );
});

test('both opposing agree in opposition, and the sentence names the larger side', () => {
  const founders = group('founders', { oppose: 70, support: 30 });
  const investors = group('investors', { strongly_oppose: 62, neutral: 18, support: 20 });
  expect(consensusOf(founders, investors)).toBe('agree_oppose');
  expect(consensusSentence(founders, investors)).toBe(
    'Founders 70% oppose, investors 62% oppose — both oppose.',
  );
});

test('a majority one way against anything else is divided', () => {
  const founders = group('founders', { support: 78, oppose: 22 });
  const investors = group('investors', { support: 41, neutral: 30, oppose: 29 });
  expect(consensusOf(founders, investors)).toBe('divided');
  expect(consensusSentence(founders, investors)).toBe(
    'Founders 78% support, investors 41% support — divided.',
  );
  expect(consensusOf(founders, group('investors', { oppose: 60, support: 40 }))).toBe('divided');
});

test('neither group with a majority is not called divided', () => {
  const a = group('founders', { support: 40, neutral: 30, oppose: 30 });
  const b = group('investors', { support: 35, neutral: 35, oppose: 30 });
  expect(consensusOf(a, b)).toBe('no_majority');
});

test('a hidden or empty group cannot be compared', () => {
  const founders = group('founders', { support: 40 });
  expect(consensusOf(founders, group('investors', { support: 3 }, true))).toBe('too_few');
  expect(consensusOf(founders, group('investors', { no_view: 7 }))).toBe('too_few');
  expect(consensusSentence(founders, group('investors', {}, true))).toBe(
    'Founders 100% support, investors: too few responses — too few responses to compare.',
  );
});

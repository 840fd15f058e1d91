import fc from 'fast-check';
import { expect, test } from 'vitest';
import { isSmall, suppressSmallCells, type Cell } from '~/lib/results/suppression';

type Segment = 'founder' | 'investor' | 'other';
const cells = (founder: number, investor: number, other: number): Cell<Segment>[] => [
  { key: 'founder', n: founder },
  { key: 'investor', n: investor },
  { key: 'other', n: other },
];

test('groups of one to four people are small; none and five are not', () => {
  expect([0, 1, 4, 5, 6].map(isSmall)).toEqual([false, true, true, false, false]);
});

test('nothing is hidden when every group has five or more people (or none)', () => {
  const result = suppressSmallCells(cells(40, 12, 0));
  expect([...result.hidden]).toEqual([]);
  expect(result.totalHidden).toBe(false);
});

test('a small group is hidden with the smallest other group, so the total cannot give it away', () => {
  const result = suppressSmallCells(cells(40, 12, 3));
  expect([...result.hidden].sort()).toEqual(['investor', 'other']);
  expect(result.totalHidden).toBe(false);
});

test('two small groups adding up to five or more are hidden together and nothing else', () => {
  const result = suppressSmallCells(cells(40, 2, 3));
  expect([...result.hidden].sort()).toEqual(['investor', 'other']);
  expect(result.totalHidden).toBe(false);
});

test('a small group next to an empty one takes the next smallest group with it', () => {
  // Hiding "other" (3) and the empty "investor" group would still leave total − founders = 3.
  const result = suppressSmallCells(cells(40, 0, 3));
  expect([...result.hidden].sort()).toEqual(['founder', 'other']);
  // The total (43) now tells only founders and others together.
  expect(result.totalHidden).toBe(false);
});

test('a total under five is hidden with every group', () => {
  const result = suppressSmallCells(cells(1, 2, 0));
  expect([...result.hidden].sort()).toEqual(['founder', 'investor']);
  expect(result.totalHidden).toBe(true);
});

test('in the verified-only view a group is hidden when its unverified remainder is small', () => {
  // 30 founders of whom 28 are verified: the unfiltered page minus this one would show the 2.
  const result = suppressSmallCells<Segment>([
    { key: 'founder', n: 28, complement: 2 },
    { key: 'investor', n: 20, complement: 0 },
    { key: 'other', n: 9, complement: 6 },
  ]);
  expect(result.hidden.has('founder')).toBe(true);
  // The hidden founders' remainder (2) is still small, so the smallest other group goes too.
  expect(result.hidden.has('other')).toBe(true);
  expect(result.hidden.has('investor')).toBe(false);
  expect(result.totalHidden).toBe(false);
});

const arbitraryCells = fc
  .array(
    fc.record({
      n: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 400 })),
      complement: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8 })),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((list) => list.map((cell, key) => ({ key, ...cell })));

test('whatever the counts, no small group can be read or worked out from what is shown', () => {
  fc.assert(
    fc.property(arbitraryCells, (list) => {
      const { hidden, totalHidden } = suppressSmallCells(list);
      const shown = list.filter((c) => !hidden.has(c.key));
      // Nothing shown is small, in this view or by difference with the unfiltered view.
      for (const cell of shown) {
        expect(isSmall(cell.n)).toBe(false);
        expect(isSmall(cell.complement)).toBe(false);
      }
      if (totalHidden) return;
      // With the total shown, total − the shown groups is the hidden groups together: never small.
      const hiddenCells = list.filter((c) => hidden.has(c.key));
      const sum = (key: 'n' | 'complement') => hiddenCells.reduce((s, c) => s + c[key], 0);
      expect(isSmall(sum('n'))).toBe(false);
      expect(isSmall(sum('complement'))).toBe(false);
      const total = list.reduce((s, c) => s + c.n, 0);
      expect(isSmall(total)).toBe(false);
    }),
  );
});

test('groups of five or more are hidden only when a small group needs cover', () => {
  fc.assert(
    fc.property(arbitraryCells, (list) => {
      const anySmall = list.some((c) => isSmall(c.n) || isSmall(c.complement));
      const { hidden } = suppressSmallCells(list);
      if (!anySmall) expect(hidden.size).toBe(0);
    }),
  );
});

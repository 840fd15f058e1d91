import { expect, test } from 'vitest';
import { changeNoteText } from '~/ui/change-notes';

const at = new Date('2026-12-02T12:00:00Z');
const base = { id: 'n1', at, oldTitle: null, newTitle: null, oldNumber: null, newNumber: null };

test('a retitle note is dated and gives the former title', () => {
  expect(
    changeNoteText({
      ...base,
      kind: 'retitled',
      oldTitle: 'Open data',
      newTitle: 'Open data for all',
    }),
  ).toBe("Title changed on 2 December 2026: formerly 'Open data'.");
});

test('a move note gives the former and the new number', () => {
  expect(changeNoteText({ ...base, kind: 'moved', oldNumber: 3, newNumber: 4 })).toBe(
    'Moved on 2 December 2026: formerly recommendation 3, now 4.',
  );
});

test('a naming note says it was a placeholder', () => {
  expect(changeNoteText({ ...base, kind: 'named', oldTitle: 'Seventh reform' })).toBe(
    "Named and opened for comment on 2 December 2026: formerly a placeholder titled 'Seventh reform'.",
  );
});

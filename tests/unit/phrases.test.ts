import { describe, expect, test } from 'vitest';
import { excerpt, extractPhrases, MAX_PHRASES_PER_TEXT, pickThemes } from '~/.server/results';

describe('key phrases', () => {
  test('phrases are runs of up to three content words ending in a noun, without stop words', () => {
    const phrases = extractPhrases(
      'Bigger option pools let small companies compete for engineers.',
    );
    expect(phrases).toEqual(
      expect.arrayContaining(['option pool', 'bigger option pool', 'small company', 'engineer']),
    );
    // Stop words and verbs alone are never phrases, and no phrase crosses a stop word.
    expect(phrases).not.toContain('let');
    expect(phrases).not.toContain('for');
    expect(phrases.some((p) => p.includes('compete'))).toBe(false);
  });

  test('plurals fold into the singular, and a phrase counts once per text', () => {
    const phrases = extractPhrases('Option pools matter. An option pool is vital. Option pools!');
    expect(phrases.filter((p) => p === 'option pool')).toHaveLength(1);
    expect(extractPhrases('Open data helps research.')).toContain('open data');
  });

  test('negations and punctuation break phrases; blank text has none', () => {
    const phrases = extractPhrases('No tax relief; startups, not investors.');
    expect(phrases).toContain('tax relief');
    expect(phrases.some((p) => p.includes('no '))).toBe(false);
    expect(phrases).not.toContain('startup investor');
    expect(extractPhrases('')).toEqual([]);
    expect(extractPhrases(null)).toEqual([]);
  });

  test('a long text gives a bounded number of phrases', () => {
    const long = Array.from({ length: 200 }, (_, i) => `Grant scheme number${i} matters.`).join(
      ' ',
    );
    expect(extractPhrases(long).length).toBeLessThanOrEqual(MAX_PHRASES_PER_TEXT);
  });
});

describe('choosing themes', () => {
  test('a longer phrase in most of the same reasons replaces the shorter one inside it', () => {
    const themes = pickThemes([
      { phrase: 'option', count: 10, score: 20 },
      { phrase: 'option pool', count: 9, score: 18 },
      { phrase: 'pool', count: 9, score: 17 },
      { phrase: 'tax relief', count: 5, score: 10 },
    ]);
    expect(themes.map((t) => t.phrase)).toEqual(['option pool', 'tax relief']);
  });

  test('a rarer longer phrase does not displace a common shorter one', () => {
    const themes = pickThemes([
      { phrase: 'tax', count: 20, score: 30 },
      { phrase: 'tax relief', count: 3, score: 6 },
      { phrase: 'grant', count: 4, score: 5 },
    ]);
    expect(themes.map((t) => t.phrase)).toEqual(['tax', 'grant']);
  });

  test('at most eight themes, best first', () => {
    const ranked = Array.from({ length: 20 }, (_, i) => ({
      phrase: `phrase${i}`,
      count: 20 - i,
      score: 20 - i,
    }));
    expect(pickThemes(ranked).map((t) => t.phrase)).toEqual(
      ranked.slice(0, 8).map((t) => t.phrase),
    );
  });

  test('quotes are cut at a word boundary with an ellipsis', () => {
    expect(excerpt('Short  and\nsweet.')).toBe('Short and sweet.');
    const cut = excerpt('word '.repeat(100), 50);
    expect(cut.endsWith('word…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(51);
  });
});

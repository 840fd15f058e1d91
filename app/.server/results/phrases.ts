import type { ItemToken } from 'wink-nlp';
import { its, nlp } from './nlp';

/** Caps the phrases kept from one long text, so that no single text weighs on the rollups. */
export const MAX_PHRASES_PER_TEXT = 60;
const MAX_WORDS = 3;
// The model's lemma function is typed for a different call signature than it is used with.
const lemma = its.lemma as unknown as typeof its.normal;
const NOUNS = new Set(['NOUN', 'PROPN']);
const NEGATIONS = new Set(['not', 'no', 'never', 'nor']);

type Word = { text: string; normal: string; pos: string };

/** "helps startup" is not a theme; "funded project" and "growing company" are. */
function startsWithVerb(word: Word) {
  return (word.pos === 'VERB' || word.pos === 'AUX') && !/(ed|ing)$/.test(word.normal);
}

/**
 * The distinct candidate key phrases of a text: runs of one to three words without stop words,
 * punctuation or negations, ending in a noun (an adjective may stand alone), with the last word
 * in its dictionary form so that "option pools" and "option pool" count together.
 */
export function extractPhrases(text: string | null | undefined): string[] {
  if (!text || !text.trim()) return [];
  const runs: Word[][] = [[]];
  nlp
    .readDoc(text)
    .tokens()
    .each((token: ItemToken) => {
      const normal = token.out(its.normal);
      const usable =
        token.out(its.type) === 'word' &&
        !token.out(its.stopWordFlag) &&
        !NEGATIONS.has(normal) &&
        normal.length > 1;
      if (!usable) {
        if (runs.at(-1)!.length > 0) runs.push([]);
        return;
      }
      const pos = token.out(its.pos);
      // Plurals fold into the singular; other lemmas ("data" → "datum") read oddly as themes.
      const text = NOUNS.has(pos) && normal.endsWith('s') ? token.out(lemma) : normal;
      runs.at(-1)!.push({ text, pos, normal });
    });
  const phrases = new Set<string>();
  for (const run of runs) {
    for (let start = 0; start < run.length; start++) {
      for (let length = 1; length <= MAX_WORDS && start + length <= run.length; length++) {
        const words = run.slice(start, start + length);
        const last = words.at(-1)!;
        const keep =
          (NOUNS.has(last.pos) || (length === 1 && last.pos === 'ADJ')) &&
          (length === 1 || !startsWithVerb(words[0]!));
        if (!keep) continue;
        phrases.add(words.map((w, i) => (i < words.length - 1 ? w.normal : w.text)).join(' '));
        if (phrases.size >= MAX_PHRASES_PER_TEXT) return [...phrases];
      }
    }
  }
  return [...phrases];
}

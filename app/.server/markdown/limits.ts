/**
 * Shape checks run before marked sees a text. marked is synchronous and recursive: deep nesting
 * overflows the stack (a comment of `1. 1. 1. …`, 5,000 `>`), and long runs of emphasis
 * delimiters cost time that grows with the square of the paragraph (`_*a_*a…`). Neither can be
 * interrupted once started, so such input is refused by its shape, cheaply and in one pass.
 */

/** Lists and quotes inside one another, counted on each line. */
export const MAX_NESTING = 10;
/** Runs of `*`, `_` or `~` (each opens or closes bold, italic or strikethrough) in one paragraph. */
export const MAX_EMPHASIS_RUNS = 120;

export type ShapeProblem =
  | { kind: 'nesting'; depth: number; line: number }
  | { kind: 'emphasis'; runs: number; line: number };

const LIST_MARKER = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/;

/**
 * How deep the containers opened on this line go: every `>` and list marker at its start, plus
 * its indentation (two columns per level, an over-estimate for four-space indents, so a
 * legitimate list is refused only well past any readable depth). Only lines that open a
 * container count their indentation, so indented code and prose are not refused.
 */
export function lineNesting(line: string, quotes: boolean): number {
  let markers = 0;
  let indent = 0;
  let i = 0;
  for (;;) {
    let columns = 0;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) {
      columns += line[i] === '\t' ? 4 : 1;
      i += 1;
    }
    if (markers === 0) indent = columns;
    if (quotes && line[i] === '>') {
      markers += 1;
      i += 1;
      continue;
    }
    const marker = LIST_MARKER.exec(line.slice(i, i + 11));
    if (!marker) break;
    markers += 1;
    i += marker[0].length;
  }
  return markers === 0 ? 0 : markers + Math.floor(indent / 2);
}

/**
 * Runs of `*`, `_` or `~` (`*_*_` is four), leaving out a `*` bullet that starts a list item;
 * counting stops past `cap`, so a line of thousands of runs costs no more than it must.
 */
function emphasisRuns(line: string, cap: number): number {
  const delimiters = /\*+|_+|~+/g;
  let runs = /^[ \t]*\*[ \t]/.test(line) ? -1 : 0;
  while (runs < cap && delimiters.exec(line)) runs += 1;
  return runs;
}

/**
 * The first shape the renderer cannot be trusted with, or null. `quotes` says whether `>` makes
 * a quote (comments show it as typed, so there it nests nothing).
 */
export function findShapeProblem(
  text: string,
  { quotes }: { quotes: boolean },
): ShapeProblem | null {
  const lines = text.split(/\r\n|\r|\n/);
  let runs = 0;
  let paragraphStart = 0;
  for (let n = 0; n < lines.length; n += 1) {
    const line = lines[n]!;
    if (line.trim() === '') {
      runs = 0;
      paragraphStart = n + 1;
      continue;
    }
    const depth = lineNesting(line, quotes);
    if (depth > MAX_NESTING) return { kind: 'nesting', depth, line: n + 1 };
    runs += emphasisRuns(line, MAX_EMPHASIS_RUNS - runs + 1);
    if (runs > MAX_EMPHASIS_RUNS) return { kind: 'emphasis', runs, line: paragraphStart + 1 };
  }
  return null;
}

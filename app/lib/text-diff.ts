// A line diff for comparing two published versions of a summary, field by field. The `diff`
// package is not one of our dependencies (a copy sits in node_modules only as an undeclared
// leftover, without types), and a longest-common-subsequence over lines is all the page needs.

export type DiffLine = { op: 'same' | 'added' | 'removed'; text: string };

/** Past this many lines on either side, the texts are shown as wholly replaced. */
export const MAX_DIFF_LINES = 2000;

function lines(text: string) {
  return text === '' ? [] : text.replace(/\r\n?/g, '\n').split('\n');
}

/** The lines of `before` and `after`, marked as kept, removed or added, in reading order. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = lines(before);
  const b = lines(after);
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) {
    return [
      ...a.map((text) => ({ op: 'removed' as const, text })),
      ...b.map((text) => ({ op: 'added' as const, text })),
    ];
  }
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i += 1;
      j += 1;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      out.push({ op: 'removed', text: a[i]! });
      i += 1;
    } else {
      out.push({ op: 'added', text: b[j]! });
      j += 1;
    }
  }
  for (; i < a.length; i += 1) out.push({ op: 'removed', text: a[i]! });
  for (; j < b.length; j += 1) out.push({ op: 'added', text: b[j]! });
  return out;
}

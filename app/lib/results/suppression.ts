// Small-cell suppression for public results.
//
// A group of fewer than SMALL_CELL people (but not none) is too small to show: with a name,
// an organisation or a date, a reader could work out how someone answered. Hiding the small
// group alone is not enough, because the other numbers on the page can give it back:
//
// 1. Subtraction from the total. If founders, investors and the total are shown and "other"
//    (3 people) is hidden, total − founders − investors is exactly those 3 people. So the hidden
//    groups, taken together, must themselves be none or at least SMALL_CELL: while they are not,
//    the smallest group still shown is hidden as well (complementary suppression). If every group
//    ends up hidden and they still add up to a small number, the total is hidden too.
// 2. Subtraction between views. The verified-only filter shows each group's verified members;
//    the unfiltered page shows the whole group. Their difference is the unverified members. So in
//    the filtered view a group is also hidden when its unverified remainder (its "complement") is
//    small, and the same two rules apply to the complements.
//
// Zero is never hidden: "nobody in this group answered" identifies nobody. Organisers see every
// cell (they can read each response anyway); only public views call this.

export const SMALL_CELL = 5;

export function isSmall(n: number) {
  return n > 0 && n < SMALL_CELL;
}

export type Cell<K> = {
  key: K;
  n: number;
  /** Members of the same group outside this view (unverified ones, in a verified-only view). */
  complement?: number;
};

export type Suppression<K> = {
  hidden: Set<K>;
  /** True when even the total would give away a small group. */
  totalHidden: boolean;
};

function safe(n: number, complement: number) {
  return !isSmall(n) && !isSmall(complement);
}

/** Which groups (and whether the total) a public view must leave out; see the rules above. */
export function suppressSmallCells<K>(cells: readonly Cell<K>[]): Suppression<K> {
  const hidden = new Set<K>();
  for (const cell of cells) {
    if (!safe(cell.n, cell.complement ?? 0)) hidden.add(cell.key);
  }
  const residual = () => {
    let n = 0;
    let complement = 0;
    for (const cell of cells) {
      if (!hidden.has(cell.key)) continue;
      n += cell.n;
      complement += cell.complement ?? 0;
    }
    return { n, complement };
  };
  for (;;) {
    const rest = residual();
    if (safe(rest.n, rest.complement)) break;
    const next = cells
      .filter((cell) => !hidden.has(cell.key) && cell.n + (cell.complement ?? 0) > 0)
      .sort((a, b) => a.n - b.n || (a.complement ?? 0) - (b.complement ?? 0))[0];
    if (!next) break;
    hidden.add(next.key);
  }
  const total = cells.reduce(
    (sum, cell) => ({ n: sum.n + cell.n, complement: sum.complement + (cell.complement ?? 0) }),
    { n: 0, complement: 0 },
  );
  const rest = residual();
  return {
    hidden,
    totalHidden: !safe(total.n, total.complement) || !safe(rest.n, rest.complement),
  };
}

import { expect, test } from 'vitest';
import { parseCsv } from '~/lib/open-data/csv';
import { formatSize } from '~/lib/open-data/files';
import { recompute, verifyAggregates } from '~/lib/open-data/verify';
import { meanAndSpread, netSupport, opposeShare, supportShare } from '~/lib/results/statistics';

test('the CSV reader reads quoted commas, doubled quotes, line breaks and a byte-order mark', () => {
  const text = '\uFEFFname,reasons,n\r\n"Smith, Jo","She said ""no""\r\nthen left",3\r\nA,,\r\n';
  expect(parseCsv(text)).toEqual([
    { name: 'Smith, Jo', reasons: 'She said "no"\r\nthen left', n: '3' },
    { name: 'A', reasons: '', n: '' },
  ]);
});

test('file sizes read as people say them and never break between number and unit', () => {
  expect(formatSize(980)).toBe('980\u00a0bytes');
  expect(formatSize(4_412)).toBe('4.4\u00a0kB');
  expect(formatSize(1_450_000)).toBe('1.4\u00a0MB');
});

// The verify command's statistics are written apart from the site's, from the README's method;
// on any counts the two must give the same figures, or one of them does not say what it does.
test('the verify command works out the same figures as the results pages, whatever the counts', () => {
  let seed = 7;
  const random = (max: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % (max + 1);
  };
  for (let i = 0; i < 500; i++) {
    const stance = {
      strongly_support: random(i % 3 === 0 ? 0 : 40),
      support: random(40),
      neutral: random(20),
      oppose: random(i % 5 === 0 ? 0 : 40),
      strongly_oppose: random(10),
      no_view: random(5),
    };
    const importance = [1, 2, 3, 4, 5].map(() => random(12));
    const cells: Record<string, number> = { ...stance };
    importance.forEach((n, v) => (cells[`importance_${v + 1}`] = n));
    const got = recompute((column) => cells[column] ?? 0);

    const net = netSupport(stance);
    const support = supportShare(stance);
    const oppose = opposeShare(stance);
    const n = importance.reduce((a, b) => a + b, 0);
    const sum = importance.reduce((a, c, v) => a + c * (v + 1), 0);
    const sumSquares = importance.reduce((a, c, v) => a + c * (v + 1) ** 2, 0);
    const spread = meanAndSpread({ n, sum, sumSquares });
    const expected = {
      importance_mean: spread?.mean ?? null,
      importance_sd: spread?.sd ?? null,
      support_share: support?.value ?? null,
      support_low: support?.low ?? null,
      support_high: support?.high ?? null,
      oppose_share: oppose?.value ?? null,
      oppose_low: oppose?.low ?? null,
      oppose_high: oppose?.high ?? null,
      net_support: net?.value ?? null,
      net_support_low: net?.low ?? null,
      net_support_high: net?.high ?? null,
    };
    for (const [figure, value] of Object.entries(expected)) {
      const mine = got[figure as keyof typeof got] ?? null;
      if (value === null) expect(mine, figure).toBeNull();
      else
        expect(Math.abs(mine! - value), `${figure} of ${JSON.stringify(cells)}`).toBeLessThan(
          1e-12,
        );
    }
  }
});

test('everyone’s counts must be the groups added up when no group is suppressed', () => {
  const header = 'recommendation_number,group,verified_only,suppressed,answers,support,neutral';
  const rows = ['all', 'founder', 'investor', 'other'].map((group) => ({
    recommendation_number: 1,
    group,
    verified_only: false,
    suppressed: false,
  }));
  const csv = (allSupport: number) =>
    `${header}\r\n1,all,false,false,18,${allSupport},3\r\n1,founder,false,false,6,5,1\r\n` +
    `1,investor,false,false,6,5,1\r\n1,other,false,false,6,5,1\r\n`;
  const totals = (text: string) =>
    verifyAggregates(text, { rows })
      .differences.filter((d) => d.recomputed.includes('added up'))
      .map((d) => `${d.figure}: ${d.published} vs ${d.recomputed}`);
  expect(totals(csv(15))).toEqual([]);
  expect(totals(csv(16))).toEqual(['support: 16 vs 15 (the groups added up)']);
});

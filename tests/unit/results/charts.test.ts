// @vitest-environment happy-dom
import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { emptyStanceCounts, netSupport, type StanceCounts } from '~/lib/results/statistics';
import { cumulativeTrend } from '~/lib/results/trend';
import { NetSupportChart } from '~/ui/charts/net-support-chart';
import { StanceChart } from '~/ui/charts/stance-chart';
import { ToneChart } from '~/ui/charts/tone-chart';
import { TrendChart } from '~/ui/charts/trend-chart';

function render<P extends object>(component: FunctionComponent<P>, props: P) {
  const html = renderToStaticMarkup(createElement(component, props));
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return { html, doc };
}

function counts(partial: Partial<StanceCounts>): StanceCounts {
  return { ...emptyStanceCounts(), ...partial };
}

function tableRows(doc: Document) {
  return [...doc.querySelectorAll('table tbody tr')].map((tr) =>
    [...tr.children].map((cell) => cell.textContent?.trim()),
  );
}

test('stance chart: an image with a title and text alternative, and a table of every count', () => {
  const { doc } = render(StanceChart, {
    title: 'Views by group',
    rows: [
      {
        key: 'founder',
        label: 'Founders',
        counts: counts({ strongly_support: 30, support: 48, oppose: 22 }),
      },
      { key: 'other', label: 'Others', counts: null },
    ],
  });
  const svg = doc.querySelector('svg[role="img"]')!;
  expect(svg.querySelector('title')!.textContent).toBe('Views by group');
  // Named by its title, described by its text alternative.
  const named = doc.getElementById(svg.getAttribute('aria-labelledby')!)!;
  const described = doc.getElementById(svg.getAttribute('aria-describedby')!)!;
  expect([named.tagName.toLowerCase(), described.tagName.toLowerCase()]).toEqual(['title', 'desc']);
  expect(svg.querySelector('desc')!.textContent).toBe(
    'Founders (100 answers): 30% strongly support, 48% support, 22% oppose. Others: not shown (too few responses).',
  );
  expect(tableRows(doc)).toEqual([
    ['Founders', '30 (30%)', '48 (48%)', '0 (0%)', '22 (22%)', '0 (0%)', '0 (0%)', '100'],
    ['Others', 'Fewer than 5 responses: not shown, to protect identities'],
  ]);
  expect(doc.querySelector('figcaption')!.textContent).toBe('Views by group');
});

test('stance chart: each stance has its own pattern, named in the legend, and wide bars carry their share', () => {
  const { doc } = render(StanceChart, {
    title: 'Views',
    rows: [{ key: 'all', label: 'Everyone', counts: counts({ support: 9, no_view: 1 }) }],
  });
  const patterns = [...doc.querySelectorAll('pattern')].map((p) => p.id);
  expect(new Set(patterns).size).toBe(6);
  expect([...doc.querySelectorAll('.chart__legend li')].map((li) => li.textContent)).toEqual([
    'Strongly support',
    'Support',
    'Neutral',
    'Oppose',
    'Strongly oppose',
    'No view',
  ]);
  const bars = [...doc.querySelectorAll('svg[role="img"] rect[fill^="url(#"]')];
  expect(bars.map((b) => b.getAttribute('fill'))).toEqual([
    `url(#${patterns[1]})`,
    `url(#${patterns[5]})`,
  ]);
  const labels = [...doc.querySelectorAll('svg[role="img"] text')].map((t) => t.textContent);
  expect(labels).toContain('90%');
  expect(labels).toContain('10%');
});

test('two charts on one page never share pattern ids', () => {
  const rows = [{ key: 'all', label: 'Everyone', counts: counts({ support: 3 }) }];
  const html = renderToStaticMarkup(
    createElement('div', null, [
      createElement(StanceChart, { key: 1, title: 'A', rows }),
      createElement(StanceChart, { key: 2, title: 'B', rows }),
    ]),
  );
  const ids = [...new DOMParser().parseFromString(html, 'text/html').querySelectorAll('[id]')].map(
    (e) => e.id,
  );
  expect(new Set(ids).size).toBe(ids.length);
});

test('net support chart: point and interval per row, figures in the table, missing rows explained', () => {
  const net = netSupport(counts({ support: 30, neutral: 10, oppose: 10 }))!;
  const { doc } = render(NetSupportChart, {
    title: 'Net support by recommendation',
    rows: [
      { key: 'a', label: '1. Open source first', net },
      { key: 'b', label: '2. Open models', net: null, missing: 'Too few responses to show' },
    ],
  });
  expect(tableRows(doc)).toEqual([
    ['1. Open source first', '+40', '+16 to +59', '50'],
    ['2. Open models', 'Too few responses to show'],
  ]);
  const desc = doc.querySelector('desc')!.textContent!;
  expect(desc).toContain('1. Open source first: +40 (95% interval +16 to +59, 50 with a view).');
  expect(desc).toContain('2. Open models: Too few responses to show.');
  // The interval is drawn: a whisker from the lower to the upper limit, on a −100…+100 scale.
  const whisker = doc.querySelector('svg line[stroke-width="3"]')!;
  const x1 = Number(whisker.getAttribute('x1'));
  const x2 = Number(whisker.getAttribute('x2'));
  expect(x2 - x1).toBeCloseTo(((net.high - net.low) / 2) * 566, 6);
});

test('tone chart: shares of positive, neutral and negative texts with the mean in words', () => {
  const { doc } = render(ToneChart, {
    title: 'Tone of the reasons',
    rows: [
      {
        key: 'all',
        label: 'Everyone',
        tone: { n: 40, positive: 10, neutral: 10, negative: 20, mean: -0.3 },
      },
      { key: 'other', label: 'Others', tone: null },
    ],
  });
  expect(tableRows(doc)).toEqual([
    ['Everyone', '10 (25%)', '10 (25%)', '20 (50%)', '−0.30 (negative)', '40'],
    ['Others', 'Fewer than 5 responses: not shown, to protect identities'],
  ]);
  expect(doc.querySelector('desc')!.textContent).toContain(
    'Everyone (40 texts): 25% positive, 25% neutral, 50% negative; on average negative.',
  );
});

test('trend chart: cumulative net support by date in the table and in the text alternative', () => {
  const points = cumulativeTrend([
    { day: '2026-10-01', answers: 10, stance: counts({ support: 8, oppose: 2 }) },
    { day: '2026-10-02', answers: 10, stance: counts({ support: 2, oppose: 8 }) },
  ]);
  const { doc } = render(TrendChart, { title: 'Net support over time', points });
  // 8 of 10 support, then 2 of the next 10: r = −1 here, so the MOVER gaps simply add up.
  expect(tableRows(doc)).toEqual([
    ['1 October 2026', '10', '10', '+60', '−2 to +89'],
    ['2 October 2026', '10', '20', '0', expect.stringMatching(/^−\d+ to \+\d+$/)],
  ]);
  expect(doc.querySelector('desc')!.textContent).toMatch(
    /^From 1 October 2026 to 2 October 2026, net support moved from \+60 \(after 10 answers\) to 0 \(after 20 answers; 95% interval/,
  );
  expect(doc.querySelectorAll('svg circle')).toHaveLength(2);
});

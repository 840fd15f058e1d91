// @vitest-environment happy-dom
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import type { GroupResult } from '~/lib/results/view';
import { evidenceId, linkCitations } from '~/lib/summary-citations';
import type { OutcomeUpdateView, SummarySnapshot } from '~/lib/summary-snapshot';
import { SummaryView, type SummaryViewProps } from '~/ui/summary/summary-view';

function render(props: SummaryViewProps) {
  const html = renderToStaticMarkup(createElement(SummaryView, props));
  return new DOMParser().parseFromString(html, 'text/html');
}

function group(partial: Partial<GroupResult> & Pick<GroupResult, 'group' | 'label'>): GroupResult {
  return {
    hidden: false,
    answers: 40,
    stance: null,
    net: { value: -0.4, low: -0.46, high: -0.34, n: 38 },
    support: { value: 0.2, low: 0.1, high: 0.35, n: 38 },
    oppose: { value: 0.6, low: 0.45, high: 0.73, n: 38 },
    importance: { mean: 3.8, sd: 1.1, n: 36 },
    tone: null,
    commentTone: null,
    endorsements: 4,
    comments: 2,
    ...partial,
  };
}

const snapshot: SummarySnapshot = {
  format: 1,
  number: 2,
  publishedAt: '2027-01-15T10:30:00.000Z',
  changeNote: 'Corrected the investors’ figure.',
  licence: null,
  consultation: {
    slug: 'seed-rules',
    title: 'Seed funding rules',
    runBy: 'A sample team',
    opensAt: '2026-10-01T08:00:00.000Z',
    closesAt: '2026-11-30T17:00:00.000Z',
  },
  method: { smallGroupThreshold: 5 },
  respondents: [
    { group: 'all', label: 'Everyone', responses: 84 },
    { group: 'founder', label: 'Founders', responses: 44 },
    { group: 'investor', label: 'Investors', responses: 40 },
    { group: 'other', label: 'Others', responses: null },
  ],
  intro: { markdown: 'We asked', html: '<p>We asked about <strong>seed rounds</strong>.</p>' },
  recommendations: [
    {
      number: 1,
      slug: 'cap-the-fees',
      title: 'Cap the fees',
      results: {
        groups: [
          group({ group: 'all', label: 'Everyone' }),
          group({ group: 'investor', label: 'Investors' }),
          group({
            group: 'other',
            label: 'Others',
            hidden: true,
            answers: null,
            net: null,
            support: null,
            oppose: null,
            importance: null,
          }),
        ],
        consensus: 'Founders 70% support, investors 60% oppose — divided.',
        themes: [{ phrase: 'small rounds', count: 7 }],
        endorsements: 12,
      },
      youSaid: {
        markdown: 'Investors were against [1], and one said why [2]. Not a citation: [3].',
        html: '<p>Investors were against [1], and one said why [2]. Not a citation: [3].</p>',
      },
      weDid: { markdown: 'We will consult', html: '<p>We will consult on a lower cap.</p>' },
      outcome: {
        status: 'adopted_with_changes',
        label: 'Adopted with changes',
        reasons: { markdown: 'Lower', html: '<p>A lower cap answers the concern.</p>' },
      },
      quotes: [
        {
          kind: 'quote',
          key: 'quote-abc',
          source: 'reasons',
          recommendationNumber: 1,
          text: 'Fees eat a tenth of a small round.',
          attribution: 'Ada Founder, Acme Ltd',
          stanceLabel: 'Strongly support',
        },
      ],
      citations: [
        {
          kind: 'figure',
          key: 'net_support:1:investor',
          label: 'Recommendation 1, investors: net support',
          text: '−40 (−46 to −34)',
          value: -0.4,
          low: -0.46,
          high: -0.34,
          n: 38,
        },
        {
          kind: 'quote',
          key: 'comment-1',
          source: 'comment',
          recommendationNumber: 1,
          text: 'A cap would push costs elsewhere.',
          attribution: 'An investor',
          stanceLabel: null,
        },
      ],
    },
  ],
};

const update: OutcomeUpdateView = {
  id: 'u1',
  happenedOn: '2027-03-03',
  status: 'adopted',
  statusLabel: 'Adopted',
  noteHtml: '<p>The new rules were published.</p>',
};

test('citation markers link to the evidence of the same recommendation; other numbers stay text', () => {
  const html = linkCitations(
    '<p>Said [1] and [2], not [3]. <code>[1]</code> <a href="/x">[2]</a></p>',
    4,
    2,
  );
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const links = [...doc.querySelectorAll('a.citation')];
  expect(links.map((a) => a.getAttribute('href'))).toEqual([
    `#${evidenceId(4, 1)}`,
    `#${evidenceId(4, 2)}`,
  ]);
  expect(links.map((a) => a.textContent)).toEqual(['Evidence [1]', 'Evidence [2]']);
  expect(doc.querySelector('code')!.innerHTML).toBe('[1]');
  expect(doc.querySelector('a[href="/x"]')!.innerHTML).toBe('[2]');
  expect(doc.body.textContent).toContain('not [3].');
});

test('a summary shows its dates, hash, results, cited evidence with n, quotes and outcome', () => {
  const doc = render({ snapshot, contentHash: 'a'.repeat(64) });
  const text = doc.body.textContent!;
  expect(doc.querySelector('h1')!.textContent).toBe('We asked, you said, we didSeed funding rules');
  expect(text).toContain('15 January 2027 at 10:30am (UK time), version 2');
  expect(text).toContain('Corrected the investors’ figure.');
  expect(doc.querySelector('code.hash')!.textContent).toBe('a'.repeat(64));
  expect(text).toContain(
    '84 responses: 44 founders, 40 investors and fewer than 5 other respondents (not shown)',
  );

  const rows = [...doc.querySelectorAll('.summary-results tbody tr')].map((tr) =>
    [...tr.children].map((cell) => cell.textContent?.trim()),
  );
  expect(rows[1]).toEqual([
    'Investors',
    '40',
    '−40−46 to −34',
    '20% (10% to 35%)',
    '60% (45% to 73%)',
    '3.8',
  ]);
  expect(rows[2]).toEqual(['Others', 'Fewer than 5 answers: not shown, to protect identities']);
  expect(text).toContain('12 people had endorsed this recommendation');
  expect(text).toContain('“small rounds” in 7 reasons');

  const citations = [...doc.querySelectorAll('a.citation')];
  expect(citations).toHaveLength(2);
  for (const link of citations) {
    const target = doc.getElementById(link.getAttribute('href')!.slice(1));
    expect(target, link.getAttribute('href')!).not.toBeNull();
  }
  const first = doc.getElementById(evidenceId(1, 1))!.textContent!;
  expect(first).toContain('Recommendation 1, investors: net support: −40 (−46 to −34)');
  expect(first).toContain('(n = 38)');
  expect(doc.getElementById(evidenceId(1, 2))!.textContent).toContain(
    'An investor · from a public comment',
  );
  expect(text).toContain('Ada Founder, Acme Ltd · said “Strongly support”');
  expect(text).toContain('Outcome: Adopted with changes');
  expect(text).toContain('A lower cap answers the concern.');
  expect(text).not.toContain('What has happened since');
  expect(text).not.toContain('Preview');
});

test('outcome updates move the current outcome and show as a dated timeline', () => {
  const doc = render({ snapshot, outcomeUpdates: { 'cap-the-fees': [update] } });
  const text = doc.body.textContent!;
  expect(text).toContain('Outcome now: Adopted (updated 3 March 2027; adopted with changes when');
  expect(text).toContain('What has happened since');
  expect(doc.querySelector('.timeline time')!.getAttribute('datetime')).toBe('2027-03-03');
  expect(text).toContain('The new rules were published.');
});

test('a preview says it is not public and prints no publication date or hash', () => {
  const doc = render({ snapshot, preview: true });
  const text = doc.body.textContent!;
  expect(text).toContain('Preview: not public yet.');
  expect(text).toContain('Draft, not published');
  expect(doc.querySelector('code.hash')).toBeNull();
  expect(text).not.toContain('15 January 2027');
});

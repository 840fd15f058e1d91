import { expect, test } from 'vitest';
import {
  MAX_EMPHASIS_RUNS,
  MAX_NESTING,
  RENDER_BUDGET_MS,
  plainTextHtml,
  renderForField,
  renderWithinLimits,
  type MarkdownKind,
} from '~/.server/markdown';
import { DomainError } from '~/.server/errors';
import { DOS_SHAPES } from '#tests/fixtures/markdown-dos';

const KINDS: { kind: MarkdownKind; max: number }[] = [
  { kind: 'comment', max: 5000 },
  { kind: 'house-rules', max: 5000 },
  { kind: 'rationale', max: 50000 },
  { kind: 'description', max: 50000 },
  { kind: 'summary', max: 50000 },
];

const cases = KINDS.flatMap(({ kind, max }) =>
  DOS_SHAPES.flatMap((shape) =>
    [1000, max].map((size) => [kind, shape.name, size, shape] as const),
  ),
);

test.each(cases)(
  '%s: %s at %i characters is rendered under the budget or refused with a reason',
  (kind, _name, size, shape) => {
    const text = shape.build(size);
    expect(text).toHaveLength(size);

    const outcome = renderWithinLimits(kind, text);

    if (outcome.ok) {
      expect(outcome.ms).toBeLessThan(RENDER_BUDGET_MS[kind]);
      expect(typeof outcome.html).toBe('string');
    } else {
      expect(outcome.reason).toMatch(/\w/);
    }
  },
);

test('the comment from the security review (4,998 characters of "1. ") is refused by its depth', () => {
  const outcome = renderWithinLimits('comment', '1. '.repeat(1666));

  expect(outcome).toEqual({
    ok: false,
    reason: `Line 1 puts lists more than ${MAX_NESTING} levels deep. Use fewer levels.`,
  });
});

test('5,000 ">" in organiser text is refused by its depth, not by overflowing the stack', () => {
  for (const kind of ['description', 'rationale', 'house-rules'] as const) {
    const outcome = renderWithinLimits(kind, '>'.repeat(5000));
    expect(outcome.ok ? null : outcome.reason).toMatch(/lists or quotes more than 10 levels/);
  }
});

test('a paragraph of emphasis runs is refused; the same runs split into paragraphs are not', () => {
  const dense = '_*a'.repeat(MAX_EMPHASIS_RUNS);
  const refused = renderWithinLimits('comment', `Intro\n\n${dense}`);
  expect(refused.ok ? null : refused.reason).toBe(
    `The paragraph starting on line 3 has more than ${MAX_EMPHASIS_RUNS} bold, italic or strikethrough markers (*, _ or ~). Use fewer, or split it into paragraphs.`,
  );

  const split = Array.from({ length: 4 }, () => '**bold** and _italic_ '.repeat(10)).join('\n\n');
  expect(renderWithinLimits('comment', split).ok).toBe(true);
});

test('ordinary nesting renders: lists and quotes a few levels deep, snake_case, bullets', () => {
  const text = [
    '- one',
    '  - two',
    '    - three',
    '      1. four',
    '',
    '> quoted',
    '> > quoted again',
    '',
    '* a bullet with some_snake_case_words and *emphasis*',
  ].join('\n');

  for (const kind of ['comment', 'rationale'] as const) {
    const outcome = renderWithinLimits(kind, text);
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.html).toContain('<li>four</li>');
  }
});

test('indented code is not mistaken for nesting', () => {
  const text = `Example:\n\n${' '.repeat(40)}deeply indented code\n`;

  expect(renderWithinLimits('rationale', text).ok).toBe(true);
});

test('a render over the budget twice running is refused, whatever its shape', () => {
  let clock = 0;
  const slowClock = () => (clock += RENDER_BUDGET_MS.comment + 1);

  const outcome = renderWithinLimits('comment', 'Plain words.', { now: slowClock });

  expect(outcome).toEqual({
    ok: false,
    reason: expect.stringMatching(/too complex for us to format/),
  });
});

test('one render stalled by a busy machine is timed again, not refused', () => {
  // Reads of the clock: start and end of the first render (stalled), then of the second.
  const readings = [0, RENDER_BUDGET_MS.comment + 50, 1000, 1002];
  const outcome = renderWithinLimits('comment', 'Plain **words**.', {
    now: () => readings.shift()!,
  });

  expect(outcome).toEqual({ ok: true, html: '<p>Plain <strong>words</strong>.</p>\n', ms: 2 });
});

test('marked running out of stack becomes a refusal, never an exception', () => {
  // Called with the stack nearly full, so that marked itself overflows on a modest text.
  const text = Array.from({ length: MAX_NESTING }, (_, i) => `${'  '.repeat(i)}- level`).join('\n');
  let outcome: ReturnType<typeof renderWithinLimits> | undefined;
  function dive(): void {
    try {
      dive();
    } catch {
      outcome = renderWithinLimits('comment', text);
    }
  }
  dive();

  expect(outcome).toEqual({
    ok: false,
    reason: expect.stringMatching(/too complex for us to format/),
  });
});

test('a refused text becomes a field error under the name of its field', () => {
  let error: unknown;
  try {
    renderForField('house-rules', '> '.repeat(50), 'houseRules');
  } catch (e) {
    error = e;
  }

  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('invalid');
  expect((error as DomainError).fieldErrors.houseRules?.[0]).toMatch(/more than 10 levels deep/);
});

test('plain-text HTML escapes everything and keeps paragraphs and line breaks', () => {
  expect(plainTextHtml('a <b>&</b> "c"\nnext\n\n\n1. 1. **x**')).toBe(
    '<p>a &lt;b&gt;&amp;&lt;/b&gt; &quot;c&quot;<br />next</p>\n<p>1. 1. **x**</p>\n',
  );
});

import { DomainError } from '../errors';
import { MAX_EMPHASIS_RUNS, MAX_NESTING, findShapeProblem } from './limits';
import { renderCommentMarkdown, renderMarkdown } from './render';

/**
 * The version of the renderers below and their sanitiser settings. Bump it whenever either
 * changes what HTML a text gives: the start-up step then renders every older row again.
 */
export const MARKDOWN_RENDERER_VERSION = 1;

/**
 * Where a markdown text is shown, which decides its renderer: comments get the small language;
 * a consultation's description and its house rules sit under the page's h2, so their headings
 * start at h3; a recommendation's rationale starts at h2. A summary's texts (its introduction,
 * each recommendation's "you said", "we did" and reasons, outcome updates) sit under the
 * section's h2, so theirs start at h3.
 */
export type MarkdownKind = 'comment' | 'description' | 'rationale' | 'house-rules' | 'summary';

const RENDERERS: Record<MarkdownKind, (text: string) => string> = {
  comment: renderCommentMarkdown,
  description: (text) => renderMarkdown(text, { topHeading: 3 }),
  rationale: (text) => renderMarkdown(text, { topHeading: 2 }),
  'house-rules': (text) => renderMarkdown(text, { topHeading: 3 }),
  summary: (text) => renderMarkdown(text, { topHeading: 3 }),
};

/**
 * The most one render may take, in milliseconds. The shape checks keep every accepted text
 * well under it (see `npm run bench:markdown`); it is the backstop for a shape they miss.
 * Organiser texts may be ten times longer than a comment (50,000 characters against 5,000).
 */
export const RENDER_BUDGET_MS: Record<MarkdownKind, number> = {
  comment: 250,
  description: 1000,
  rationale: 1000,
  'house-rules': 250,
  summary: 1000,
};

export type Rendered = { ok: true; html: string; ms: number } | { ok: false; reason: string };

const TOO_COMPLEX =
  'This text is too complex for us to format. Use fewer nested lists, quotes and bold or italic markers, then try again.';

/** One timed render; null when marked ran out of stack. */
function timedRender(kind: MarkdownKind, text: string, now: () => number) {
  const started = now();
  try {
    const html = RENDERERS[kind](text);
    return { html, ms: now() - started };
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * Renders a text within the limits: refused by its shape before marked runs, refused if marked
 * overflows the stack, and refused if rendering goes over the budget (marked cannot be stopped
 * midway, so a slow render is paid at write time, never on a read). The clock is wall time, so
 * a busy machine can stall one render: a text over budget is timed once more, and refused only
 * if it is over budget both times.
 */
export function renderWithinLimits(
  kind: MarkdownKind,
  text: string,
  { now = () => performance.now() }: { now?: () => number } = {},
): Rendered {
  const problem = findShapeProblem(text, { quotes: kind !== 'comment' });
  if (problem?.kind === 'nesting') {
    return {
      ok: false,
      reason: `Line ${problem.line} puts ${kind === 'comment' ? 'lists' : 'lists or quotes'} more than ${MAX_NESTING} levels deep. Use fewer levels.`,
    };
  }
  if (problem?.kind === 'emphasis') {
    return {
      ok: false,
      reason: `The paragraph starting on line ${problem.line} has more than ${MAX_EMPHASIS_RUNS} bold, italic or strikethrough markers (*, _ or ~). Use fewer, or split it into paragraphs.`,
    };
  }
  const budget = RENDER_BUDGET_MS[kind];
  let rendered = timedRender(kind, text, now);
  if (rendered && rendered.ms > budget) rendered = timedRender(kind, text, now);
  if (!rendered || rendered.ms > budget) return { ok: false, reason: TOO_COMPLEX };
  return { ok: true, html: rendered.html, ms: rendered.ms };
}

const FORMATTING_REFUSED =
  'We could not save this text as it is formatted. Nothing is lost: change its formatting as described and try again.';

/**
 * For a write: the HTML to store beside `text`, or a DomainError naming `field`, so the form
 * shows the reason next to that field with everything typed kept.
 */
export function renderForField(kind: MarkdownKind, text: string, field: string) {
  const rendered = renderWithinLimits(kind, text);
  if (!rendered.ok) {
    throw new DomainError('invalid', FORMATTING_REFUSED, {
      fieldErrors: { [field]: [rendered.reason] },
    });
  }
  return { html: rendered.html, version: MARKDOWN_RENDERER_VERSION };
}

/**
 * For text that must be stored whatever it holds (a moderator's undo, start-up re-rendering,
 * demo data): the rendered HTML, or the text escaped when the limits refuse it.
 */
export function renderForStorage(kind: MarkdownKind, text: string) {
  const rendered = renderWithinLimits(kind, text);
  return {
    html: rendered.ok ? rendered.html : plainTextHtml(text),
    version: MARKDOWN_RENDERER_VERSION,
  };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * A text as escaped paragraphs, without markdown: what a stored row shows when it has no HTML
 * yet (written before HTML was stored, until the start-up step reaches it), and what a stored
 * text the current limits refuse is kept as. It never calls marked, so it is safe on a read.
 */
export function plainTextHtml(text: string) {
  const paragraphs = text
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .split(/(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)\s*/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return paragraphs.map((p) => `<p>${p.replace(/\r\n|\r|\n/g, '<br />')}</p>\n`).join('');
}

/** For a read: the stored HTML, or the text escaped when there is none yet. */
export function storedHtml(html: string | null, source: string) {
  return html ?? plainTextHtml(source);
}

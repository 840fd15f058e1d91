import { Marked, marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const allowedTags = [
  'p',
  'br',
  'hr',
  'h2',
  'h3',
  'h4',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'a',
  'blockquote',
  'code',
  'pre',
];

/**
 * Renders organiser-written markdown to HTML that is safe to insert: marked turns markdown into
 * HTML (raw HTML included), then sanitize-html keeps only the tags above and http(s)/mailto links.
 * Authored headings start at `topHeading` (h2 by default; h3 where the page already has an h2
 * above the text), because the page title is the only h1.
 */
export function renderMarkdown(markdown: string, { topHeading = 2 }: { topHeading?: 2 | 3 } = {}) {
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: false });
  return sanitizeHtml(html, {
    allowedTags,
    allowedAttributes: { a: ['href', 'rel'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    transformTags: {
      ...(topHeading === 2
        ? { h1: 'h2' }
        : { h1: 'h3', h2: 'h3', h3: 'h4', h4: 'h4', h5: 'h4', h6: 'h4' }),
      a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }),
    },
    disallowedTagsMode: 'discard',
  });
}

// Comments get a smaller language than organisers: no headings, quotes, rules, code blocks,
// strikethrough or tables. Their tokenizers are switched off (returning undefined), so such
// markup is shown as typed. Raw HTML is switched off the same way and therefore shown as text.
const off = () => undefined;
const commentMarked = new Marked({
  gfm: true,
  breaks: true,
  tokenizer: {
    heading: off,
    lheading: off,
    blockquote: off,
    hr: off,
    code: off,
    fences: off,
    table: off,
    html: off,
    tag: off,
    del: off,
  },
  renderer: {
    // An image becomes its description: comments carry no pictures and no tracking pixels.
    image({ tokens }) {
      return this.parser.parseInline(tokens);
    },
  },
});

const commentTags = ['p', 'br', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'code'];
const SAFE_HREF = /^(https?:\/\/|mailto:)/i;

/**
 * Renders a comment's markdown-lite (links, emphasis, lists, paragraphs, line breaks and inline
 * code) to HTML that is safe to insert. Links other than http(s) and mailto lose their anchor
 * and keep their text; every link is marked as user-generated and not endorsed.
 */
export function renderCommentMarkdown(text: string) {
  const html = commentMarked.parse(text, { async: false });
  return sanitizeHtml(html, {
    allowedTags: commentTags,
    allowedAttributes: { a: ['href', 'rel'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    transformTags: {
      // Checked here as well as by allowedSchemes, so a refused link leaves no empty anchor.
      a: (_tagName, attribs): sanitizeHtml.Tag =>
        attribs.href && SAFE_HREF.test(attribs.href)
          ? {
              tagName: 'a',
              attribs: { href: attribs.href, rel: 'nofollow noopener noreferrer ugc' },
            }
          : { tagName: 'span', attribs: {} },
    },
    disallowedTagsMode: 'discard',
  });
}

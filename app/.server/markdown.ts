import { marked } from 'marked';
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

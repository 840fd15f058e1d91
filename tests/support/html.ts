/** The only markup a rendered comment may contain. */
const COMMENT_TAGS = new Set(['p', 'br', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'code']);
const SAFE_HREF = /^(https?:\/\/|mailto:)/i;

function decodeAttribute(value: string) {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * What in a rendered comment a browser would treat as live markup beyond the allowed set: other
 * tags, any attribute but href and rel on a link, or a link to anything but http(s) or mailto.
 * Sanitised output escapes every `<` of text, so every `<` followed by a name is a real tag.
 * An empty list means the HTML is inert.
 */
export function unsafeCommentMarkup(html: string): string[] {
  const problems: string[] = [];
  for (const [tag, name, attributes] of html.matchAll(/<\/?([a-zA-Z][^\s/>]*)([^>]*)>/g)) {
    const tagName = name!.toLowerCase();
    if (!COMMENT_TAGS.has(tagName)) {
      problems.push(`tag ${tag}`);
      continue;
    }
    const rest = attributes!.replace(/\s*\/$/, '');
    const found = [...rest.matchAll(/\s+([^\s=]+)(?:="([^"]*)")?/g)];
    const consumed = found.map((m) => m[0]).join('');
    if (consumed !== rest) problems.push(`unparsed attributes in ${tag}`);
    for (const [, attribute, value] of found) {
      const allowed = tagName === 'a' && (attribute === 'href' || attribute === 'rel');
      if (!allowed) problems.push(`attribute ${attribute} in ${tag}`);
      if (
        tagName === 'a' &&
        attribute === 'href' &&
        !SAFE_HREF.test(decodeAttribute(value ?? ''))
      ) {
        problems.push(`link to ${value}`);
      }
    }
  }
  if (html.replace(/<\/?[a-zA-Z][^>]*>/g, '').includes('<')) problems.push('a stray <');
  return problems;
}

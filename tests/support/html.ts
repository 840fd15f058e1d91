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

/**
 * What in a page would run script or load or navigate somewhere on its own, found by walking
 * the DOM: a script without the response's nonce (or from another site), an event-handler
 * attribute, a javascript:/vbscript:/data: address in a URL attribute, script in a style, or an
 * element the site never renders itself (frames, plugins, base, meta refresh, MathML). Works on
 * any Document, so the same function runs in Chromium (`page.evaluate(livePageMarkup, nonce)`)
 * and on a parsed response: keep it self-contained.
 */
export function livePageMarkup(document: Document, nonce: string | null): string[] {
  const problems: string[] = [];
  const banned = new Set([
    'iframe',
    'frame',
    'frameset',
    'object',
    'embed',
    'applet',
    'base',
    'math',
    'mglyph',
    'template',
    'portal',
    'fencedframe',
  ]);
  const urlAttributes = new Set([
    'href',
    'src',
    'action',
    'formaction',
    'xlink:href',
    'data',
    'poster',
    'background',
    'srcset',
    'ping',
  ]);
  const describe = (element: Element) => element.outerHTML.slice(0, 160);
  for (const element of Array.from(document.querySelectorAll('*'))) {
    const tag = element.tagName.toLowerCase();
    if (banned.has(tag)) problems.push(`element <${tag}>: ${describe(element)}`);
    if (tag === 'meta' && element.hasAttribute('http-equiv')) {
      const equiv = (element.getAttribute('http-equiv') ?? '').toLowerCase();
      if (equiv !== 'content-type' && equiv !== 'x-ua-compatible') {
        problems.push(`meta http-equiv: ${describe(element)}`);
      }
    }
    if (
      tag === 'style' &&
      !((element as HTMLStyleElement).nonce || element.getAttribute('nonce'))
    ) {
      problems.push(`style element without a nonce: ${describe(element)}`);
    }
    if (tag === 'link' && !/^\/(?!\/)/.test(element.getAttribute('href') ?? '/')) {
      problems.push(`link to elsewhere: ${describe(element)}`);
    }
    if (tag === 'script') {
      const own = (element as HTMLScriptElement).nonce || element.getAttribute('nonce');
      if (!nonce || own !== nonce) problems.push(`script without the nonce: ${describe(element)}`);
      const src = element.getAttribute('src');
      if (src && !/^\/(?!\/)/.test(src))
        problems.push(`script from elsewhere: ${describe(element)}`);
    }
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (name.startsWith('on')) problems.push(`attribute ${name}: ${describe(element)}`);
      if (name === 'srcdoc') problems.push(`attribute srcdoc: ${describe(element)}`);
      if (urlAttributes.has(name)) {
        // Browsers drop ASCII whitespace and control characters inside a scheme.
        const scheme = Array.from(value)
          .filter((c) => c.charCodeAt(0) > 0x20)
          .join('')
          .toLowerCase();
        if (
          /^(javascript|vbscript|data):/.test(scheme) ||
          /(^|,)\s*(javascript|data):/.test(scheme)
        ) {
          problems.push(`${name} to ${value.slice(0, 60)}: ${describe(element)}`);
        }
      }
      if (
        name === 'style' &&
        /expression\s*\(|javascript:|url\s*\(\s*['"]?\s*(javascript|data):/i.test(value)
      ) {
        problems.push(`style with script: ${describe(element)}`);
      }
    }
  }
  return problems;
}

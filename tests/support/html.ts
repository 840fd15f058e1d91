/** Markdown and HTML that try to run script or load something; a comment must render them inert. */
export const XSS_CORPUS: [string, string][] = [
  ['a script element', '<script>alert(1)</script>'],
  ['a script element split to dodge filters', '<<script>script>alert(1)<</script>/script>'],
  ['an image with onerror', '<img src=x onerror=alert(1)>'],
  ['a markdown image with a javascript: source', '![pic](javascript:alert(1))'],
  [
    'a markdown image with an onerror in its description',
    '![x" onerror="alert(1)](https://a.example/x.png)',
  ],
  ['a markdown link to javascript:', '[click me](javascript:alert(1))'],
  ['a markdown link to JaVaScRiPt: in mixed case', '[click me](JaVaScRiPt:alert(1))'],
  ['a markdown link with an entity-encoded javascript:', '[click me](&#106;avascript:alert(1))'],
  ['a markdown link with a hex-encoded colon', '[click me](javascript&#x3A;alert(1))'],
  ['a markdown link with a tab inside javascript:', '[click me](java\tscript:alert(1))'],
  ['a markdown link with a space before javascript:', '[click me]( javascript:alert(1))'],
  ['a markdown link in angle brackets to javascript:', '[click me](<javascript:alert(1)>)'],
  ['a reference-style link to javascript:', '[click me][x]\n\n[x]: javascript:alert(1)'],
  ['a markdown autolink to javascript:', '<javascript:alert(1)>'],
  ['a markdown autolink to JAVASCRIPT: in capitals', '<JAVASCRIPT:alert(1)>'],
  ['a markdown autolink to vbscript:', '<vbscript:msgbox(1)>'],
  ['an HTML link to javascript:', '<a href="javascript:alert(1)">click me</a>'],
  [
    'an HTML link with an encoded tab in javascript:',
    '<a href="jav&#x09;ascript:alert(1)">click me</a>',
  ],
  ['an HTML link with a newline in javascript:', '<a href="java\nscript:alert(1)">click me</a>'],
  ['an HTML link with an upper-case JAVASCRIPT:', '<a href="JAVASCRIPT:alert(1)">click me</a>'],
  ['an svg with onload', '<svg onload=alert(1)><circle r="1"/></svg>'],
  ['an iframe', '<iframe src="https://evil.example/"></iframe>'],
  ['a style element', '<style>body { display: none }</style>'],
  ['a data: URL link', '[open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['a data: URL autolink', '<data:text/html,<script>alert(1)</script>>'],
  ['a data: URL in an HTML link', '<a href="data:text/html,<script>alert(1)</script>">open</a>'],
  ['an event handler on a paragraph', '<p onclick="alert(1)">hello</p>'],
  ['an event handler on a link', '<a href="https://ok.example/" onmouseover="alert(1)">ok</a>'],
  ['an event handler on emphasis', '<strong onfocus="alert(1)" tabindex="0">bold</strong>'],
  ['details with ontoggle', '<details open ontoggle=alert(1)><summary>x</summary></details>'],
  ['mathml mutation-XSS', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['an object element', '<object data="javascript:alert(1)"></object>'],
  [
    'a form with a javascript: action',
    '<form action="javascript:alert(1)"><button>go</button></form>',
  ],
  ['a meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['a style attribute', '<p style="background:url(javascript:alert(1))">styled</p>'],
  ['a protocol-relative link', '[elsewhere](//evil.example/)'],
  ['a link title that tries to break out', '[x](https://ok.example "a\\" onclick=\\"alert(1)")'],
  ['inline code holding a script', '`<script>alert(1)</script>`'],
  ['a fenced code block holding a script', '```\n<script>alert(1)</script>\n```'],
];

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

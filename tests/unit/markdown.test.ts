import { expect, test } from 'vitest';
import { renderMarkdown } from '~/.server/markdown';

const XSS_CORPUS: [string, string][] = [
  ['a script element', '<script>alert(1)</script>'],
  ['a script element split to dodge filters', '<<script>script>alert(1)<</script>/script>'],
  ['an image with onerror', '<img src=x onerror=alert(1)>'],
  ['a markdown image with a javascript: source', '![pic](javascript:alert(1))'],
  ['a markdown link to javascript:', '[click me](javascript:alert(1))'],
  ['a markdown link to JaVaScRiPt: in mixed case', '[click me](JaVaScRiPt:alert(1))'],
  ['a markdown link with an entity-encoded javascript:', '[click me](&#106;avascript:alert(1))'],
  ['a markdown link with a tab inside javascript:', '[click me](java\tscript:alert(1))'],
  ['an HTML link to javascript:', '<a href="javascript:alert(1)">click me</a>'],
  [
    'an HTML link with an encoded tab in javascript:',
    '<a href="jav&#x09;ascript:alert(1)">click me</a>',
  ],
  ['an HTML link with an upper-case JAVASCRIPT:', '<a href="JAVASCRIPT:alert(1)">click me</a>'],
  ['an svg with onload', '<svg onload=alert(1)><circle r="1"/></svg>'],
  ['an iframe', '<iframe src="https://evil.example/"></iframe>'],
  ['a style element', '<style>body { display: none }</style>'],
  ['a data: URL link', '[open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['a data: URL in an HTML link', '<a href="data:text/html,<script>alert(1)</script>">open</a>'],
  ['an event handler on an allowed paragraph', '<p onclick="alert(1)">hello</p>'],
  [
    'an event handler on an allowed link',
    '<a href="https://ok.example/" onmouseover="alert(1)">ok</a>',
  ],
  ['an event handler on allowed emphasis', '<strong onfocus="alert(1)" tabindex="0">bold</strong>'],
  ['details with ontoggle', '<details open ontoggle=alert(1)><summary>x</summary></details>'],
  ['mathml mutation-XSS', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['an object element', '<object data="javascript:alert(1)"></object>'],
  [
    'a form with a javascript: action',
    '<form action="javascript:alert(1)"><button>go</button></form>',
  ],
  ['a meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['a style attribute', '<p style="background:url(javascript:alert(1))">styled</p>'],
  ['a protocol-relative link', '<a href="//evil.example/">elsewhere</a>'],
];

const FORBIDDEN: [string, RegExp][] = [
  ['a script tag', /<script/i],
  ['an event handler attribute', /\son\w+\s*=/i],
  ['a javascript: URL', /javascript:/i],
  ['an svg tag', /<svg/i],
  ['an iframe tag', /<iframe/i],
  ['a style tag or attribute', /<style|style=/i],
  ['an img tag', /<img/i],
  ['a data: URL', /href="data:/i],
  ['an object, form or meta tag', /<(object|form|meta)/i],
  ['a protocol-relative link', /href="\/\//i],
];

test.each(XSS_CORPUS)('renderMarkdown neutralises %s', (_name, input) => {
  const html = renderMarkdown(input);
  for (const [what, pattern] of FORBIDDEN) {
    expect(html, `${what} survived in ${JSON.stringify(html)}`).not.toMatch(pattern);
  }
});

test('a top-level heading is demoted to h2, because the page title is the only h1', () => {
  const html = renderMarkdown('# About\n\n## Details\n\n### More');

  expect(html).not.toContain('<h1');
  expect(html).toContain('<h2>About</h2>');
  expect(html).toContain('<h2>Details</h2>');
  expect(html).toContain('<h3>More</h3>');
});

test('lists, emphasis, quotes and code render as HTML', () => {
  const html = renderMarkdown(
    '- one\n- two\n\n1. first\n\n*soft* and **strong**\n\n> quoted\n\n`inline`',
  );

  expect(html).toContain('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
  expect(html).toContain('<ol>\n<li>first</li>\n</ol>');
  expect(html).toContain('<em>soft</em> and <strong>strong</strong>');
  expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
  expect(html).toContain('<code>inline</code>');
});

test('http(s) and mailto links keep their address and always get rel="nofollow noopener noreferrer"', () => {
  const html = renderMarkdown(
    '[site](https://example.com/page?a=1) [plain](http://example.org) [mail](mailto:team@example.com) <a href="https://x.example" rel="opener" target="_blank">x</a>',
  );

  expect(html).toContain(
    '<a href="https://example.com/page?a=1" rel="nofollow noopener noreferrer">site</a>',
  );
  expect(html).toContain(
    '<a href="http://example.org" rel="nofollow noopener noreferrer">plain</a>',
  );
  expect(html).toContain(
    '<a href="mailto:team@example.com" rel="nofollow noopener noreferrer">mail</a>',
  );
  expect(html).toContain('<a href="https://x.example" rel="nofollow noopener noreferrer">x</a>');
  expect(html).not.toContain('target=');
  expect(html).not.toContain('rel="opener"');
});

test('HTML written inside a code block is shown as text, not run', () => {
  const html = renderMarkdown('```\n<script>alert(1)</script>\n```');

  expect(html).toContain('<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(html).not.toMatch(/<script/i);
});

test('the text around a removed element is kept', () => {
  const html = renderMarkdown('Before <span onclick="x()">inside</span> after');

  expect(html).toBe('<p>Before inside after</p>\n');
});

test('empty markdown renders as empty HTML', () => {
  expect(renderMarkdown('')).toBe('');
});

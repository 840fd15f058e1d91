import { expect, test } from 'vitest';
import { renderCommentMarkdown } from '~/.server/markdown';
import { XSS_CORPUS } from '#tests/fixtures/xss-payloads';
import { unsafeCommentMarkup } from '#tests/support/html';

test.each(XSS_CORPUS)('renderCommentMarkdown makes %s inert', (_name, input) => {
  const html = renderCommentMarkdown(input);

  expect(unsafeCommentMarkup(html), html).toEqual([]);
});

test('the inertness check itself catches live markup', () => {
  expect(unsafeCommentMarkup('<p>fine <em>text</em></p>')).toEqual([]);
  expect(unsafeCommentMarkup('<img src=x onerror=alert(1)>')).not.toEqual([]);
  expect(unsafeCommentMarkup('<p onclick="alert(1)">x</p>')).not.toEqual([]);
  expect(unsafeCommentMarkup('<a href="javascript:alert(1)">x</a>')).not.toEqual([]);
  expect(unsafeCommentMarkup('<a href="jav&#x09;ascript:alert(1)">x</a>')).not.toEqual([]);
  expect(unsafeCommentMarkup('<a href="data:text/html,x">x</a>')).not.toEqual([]);
  expect(unsafeCommentMarkup('<svg/onload=alert(1)>')).not.toEqual([]);
});

test('a link to anything but http(s) or mailto keeps its words and loses its anchor', () => {
  expect(renderCommentMarkdown('[click me](javascript:alert(1))')).toBe('<p>click me</p>\n');
  expect(renderCommentMarkdown('<javascript:alert(1)>')).toBe('<p>javascript:alert(1)</p>\n');
  expect(renderCommentMarkdown('[elsewhere](//evil.example/)')).toBe('<p>elsewhere</p>\n');
});

test('raw HTML is shown as the text that was typed, not interpreted', () => {
  expect(renderCommentMarkdown('I <b>really</b> think x < y')).toBe(
    '<p>I &lt;b&gt;really&lt;/b&gt; think x &lt; y</p>\n',
  );
});

test('links, emphasis, strong, inline code, lists, paragraphs and line breaks render', () => {
  const html = renderCommentMarkdown(
    'First *soft* and **strong** with `code`\nsecond line\n\n- one\n- two\n\n1. first\n\n[the report](https://example.com/report?a=1&b=2)',
  );

  expect(html).toBe(
    '<p>First <em>soft</em> and <strong>strong</strong> with <code>code</code><br />second line</p>\n' +
      '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n' +
      '<ol>\n<li>first</li>\n</ol>\n' +
      '<p><a href="https://example.com/report?a=1&amp;b=2" rel="nofollow noopener noreferrer ugc">the report</a></p>\n',
  );
});

test('bare web and email addresses become links marked as user-generated', () => {
  const html = renderCommentMarkdown(
    'See https://example.org, www.example.net or team@example.com',
  );

  expect(html).toBe(
    '<p>See <a href="https://example.org" rel="nofollow noopener noreferrer ugc">https://example.org</a>, ' +
      '<a href="http://www.example.net" rel="nofollow noopener noreferrer ugc">www.example.net</a> or ' +
      '<a href="mailto:team@example.com" rel="nofollow noopener noreferrer ugc">team@example.com</a></p>\n',
  );
});

test('a link’s own rel, target or title is replaced, never kept', () => {
  const html = renderCommentMarkdown('[x](https://ok.example "Title")');

  expect(html).toBe(
    '<p><a href="https://ok.example" rel="nofollow noopener noreferrer ugc">x</a></p>\n',
  );
});

test('headings, quotes, rules, tables, strikethrough and code blocks are shown as typed', () => {
  expect(renderCommentMarkdown('# Big claim')).toBe('<p># Big claim</p>\n');
  expect(renderCommentMarkdown('Title\n===')).toBe('<p>Title<br />===</p>\n');
  expect(renderCommentMarkdown('> quoted')).toBe('<p>&gt; quoted</p>\n');
  expect(renderCommentMarkdown('---')).toBe('<p>---</p>\n');
  expect(renderCommentMarkdown('| a | b |\n|---|---|\n| 1 | 2 |')).toBe(
    '<p>| a | b |<br />|---|---|<br />| 1 | 2 |</p>\n',
  );
  expect(renderCommentMarkdown('~~gone~~')).toBe('<p>~~gone~~</p>\n');
  expect(renderCommentMarkdown('    indented')).toBe('<p>    indented</p>\n');
  expect(renderCommentMarkdown('```\nblock\n```')).not.toContain('<pre');
});

test('an image becomes its description: no picture is loaded', () => {
  expect(renderCommentMarkdown('![a chart of **results**](https://example.com/c.png)')).toBe(
    '<p>a chart of <strong>results</strong></p>\n',
  );
});

// What the HTTP edge (server.js) answers by itself, before or instead of Remix: requests refused
// at the door, and the last-resort error page. These pages are plain HTML with inline styles so
// they work whatever state the app is in, and never carry a stack trace or a server path.

import { createHash } from 'node:crypto';

const SITE_NAME = 'Open Consultation';

// C0 controls (NUL, TAB, CR, LF…), DEL and the C1 controls, after percent-decoding.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The percent-decoded text of part of a URL, or null when the encoding or its UTF-8 is invalid. */
function decodeUrlPart(part) {
  const bytes = [];
  for (let i = 0; i < part.length; i++) {
    const code = part.charCodeAt(i);
    if (code === 0x25) {
      const hex = part.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (code > 0x7f) {
      // Node's parser refuses raw non-ASCII in a request line, so this is not a real request.
      return null;
    } else {
      bytes.push(code);
    }
  }
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/**
 * Why a request target cannot be served (a sentence for the 400 page), or null when it can: a
 * NUL or other control character, invalid percent-encoding or invalid UTF-8 anywhere in the path
 * or query string. Checked before anything else reads the URL, so a NUL never reaches Postgres
 * and a bad escape never reaches Express's decoder.
 */
export function unsafeUrlReason(url) {
  const queryAt = url.indexOf('?');
  const parts = queryAt === -1 ? [url] : [url.slice(0, queryAt), url.slice(queryAt + 1)];
  for (const part of parts) {
    const decoded = decodeUrlPart(part);
    if (decoded === null) {
      return 'The address has a broken percent-encoding (a % not followed by two hexadecimal digits, or bytes that are not valid UTF-8).';
    }
    if (CONTROL_CHARACTERS.test(decoded)) {
      return 'The address contains an invisible control character (such as a NUL byte, a tab or a line break).';
    }
  }
  return null;
}

function escapeHtml(text) {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

// The site's header and type (app/styles/app.css), cut down to what these pages use.
const STYLE = `
:root{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#0b0c0c;background:#fff;line-height:1.5;font-size:1.0625rem}
body{margin:0}
.site-header{background:#0b2545;color:#fff;border-bottom:8px solid #1d70b8}
.site-header__inner,main{max-width:66rem;margin:0 auto;padding:0.75rem 1.25rem}
.site-header__brand{color:#fff;font-weight:700;font-size:1.3rem;text-decoration:none}
main{padding-top:2rem;padding-bottom:3rem}
main>*{max-width:44rem}
h1{font-size:clamp(1.9rem,1.4rem + 2vw,2.75rem);line-height:1.2;margin:0 0 1rem;letter-spacing:-0.01em}
a{color:#1a65a6;text-underline-offset:0.15em}
a:visited{color:#4c2c92}
.site-header__brand:visited{color:#fff}
a:focus-visible{outline:3px solid transparent;color:#0b0c0c;background:#ffdd00;box-shadow:0 -2px #ffdd00,0 4px #0b0c0c;text-decoration:none}
.reference{color:#505a5f;font-size:0.95rem}
`;

/** The edge pages' one inline style element, allowed by its hash in the CSP (server/csp.js). */
export const EDGE_STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/**
 * A complete page for a response the edge gives itself. `paragraphs` are plain text; the request
 * id is shown so a person can quote it and we can find the log line.
 */
export function edgePage({ title, paragraphs, requestId }) {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const reference = requestId
    ? `\n<p class="reference">Reference: ${escapeHtml(requestId)}</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · ${SITE_NAME}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="site-header"><div class="site-header__inner"><a class="site-header__brand" href="/">${SITE_NAME}</a></div></header>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
<p><a href="/">Go to the home page</a></p>${reference}
</main>
</body>
</html>
`;
}

export function badRequestPage(reason, requestId) {
  return edgePage({
    title: 'This address cannot be opened',
    paragraphs: [
      reason,
      'Check the address for mistakes, or go back and follow the link again. If it came from a link on this site, please tell us.',
    ],
    requestId,
  });
}

/** "256 kB" for 262144 bytes: the size a person can compare with what they pasted. */
export function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${Math.floor(bytes / 1024)} kB`;
}

export function tooLargePage(limitBytes, requestId) {
  return edgePage({
    title: 'What you sent is too large',
    paragraphs: [
      `A form on this site can send at most ${formatBytes(limitBytes)}, and this one was larger, so nothing was saved.`,
      'Go back, shorten the longest answers (or paste less text) and send the form again.',
    ],
    requestId,
  });
}

export function serverErrorPage(requestId) {
  return edgePage({
    title: 'Sorry, something went wrong',
    paragraphs: [
      'The site could not finish this request. It has been logged and we will look into it.',
      'Try again in a moment. If it keeps happening, quote the reference below when you contact us.',
    ],
    requestId,
  });
}

/** One JSON line per event, in the app logger's shape (app/.server/logger.ts). */
export function log(level, message, fields = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}

/** What to log about an error: its stack stays in the log, never in a response. */
export function describeError(error) {
  return error instanceof Error
    ? { error: error.message, stack: error.stack }
    : { error: String(error) };
}

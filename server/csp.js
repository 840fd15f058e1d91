// The Content-Security-Policy every response carries. Scripts run only from this origin or with
// the request's nonce (the inline scripts Remix renders get it through entry.server), so a
// script that got into a page some other way does not run. Style attributes stay allowed: a few
// components set a computed width; style elements and sheets need this origin or the edge
// pages' own hash.
import { randomBytes } from 'node:crypto';
import { EDGE_STYLE_HASH } from './edge.js';

/** A fresh nonce per response: 128 random bits, as CSP Level 3 asks. */
export function makeNonce() {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(nonce, { production }) {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' '${EDGE_STYLE_HASH}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (production) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

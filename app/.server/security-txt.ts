import { getEnv } from './env';

/** How long a served security.txt stays valid: RFC 9116 asks for less than a year ahead. */
const VALID_DAYS = 365;

/**
 * The body of /.well-known/security.txt (RFC 9116) for a site at `origin`, valid from `now`.
 * Anyone may fetch it. Expires is computed per request, so the file never goes stale; the
 * public address (APP_URL) names it when set, as the Host of a request is the client's to choose.
 */
export function securityTxt(origin: string, now = new Date()) {
  const env = getEnv();
  const site = (env.APP_URL ?? origin).replace(/\/$/, '');
  const contact =
    env.SECURITY_CONTACT ?? (env.CONTACT_EMAIL ? `mailto:${env.CONTACT_EMAIL}` : `${site}/contact`);
  const expires = new Date(now.getTime() + VALID_DAYS * 24 * 60 * 60 * 1000);
  const lines = [
    `Contact: ${contact}`,
    // Whole seconds: RFC 9116 takes the RFC 3339 date-time of the ISO form, milliseconds or not.
    `Expires: ${expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    'Preferred-Languages: en',
    `Canonical: ${site}/.well-known/security.txt`,
    ...(env.SECURITY_POLICY_URL ? [`Policy: ${env.SECURITY_POLICY_URL}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

import type { LoaderFunctionArgs } from '@remix-run/node';
import { securityTxt } from '~/.server/security-txt';

// RFC 9116: where and how to report a vulnerability (SECURITY.md, "Reporting a vulnerability").
export function loader({ request }: LoaderFunctionArgs) {
  return new Response(securityTxt(new URL(request.url).origin), {
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      // A day: long enough to spare the server, short enough that Expires stays a year ahead.
      'Cache-Control': 'public, max-age=86400',
    },
  });
}

import type { LoaderFunctionArgs } from '@remix-run/node';
import { checkDatabase } from '~/.server/health';
import { isDraining } from '~/.server/startup';

/**
 * Readiness, for load balancers: 503 while this process is shutting down (so traffic moves to
 * the others before it stops) or while its database does not answer.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const headers = { 'Cache-Control': 'no-store' };
  if (isDraining()) return Response.json({ status: 'shutting down' }, { status: 503, headers });
  const database = await checkDatabase(context.db);
  return Response.json(
    { status: database.ok ? 'ready' : 'database unavailable', database },
    {
      status: database.ok ? 200 : 503,
      headers: database.ok ? headers : { ...headers, 'Retry-After': '5' },
    },
  );
}

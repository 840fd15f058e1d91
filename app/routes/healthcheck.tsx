import type { LoaderFunctionArgs } from '@remix-run/node';
import { checkDatabase } from '~/.server/health';

/** Liveness with the database: 200 only when it answered within HEALTH_TIMEOUT_MS. */
export async function loader({ context }: LoaderFunctionArgs) {
  const database = await checkDatabase(context.db);
  return Response.json(
    { status: database.ok ? 'ok' : 'database unavailable', database },
    { status: database.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}

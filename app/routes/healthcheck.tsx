import { getDb } from '~/.server/db';
import { databaseIsHealthy } from '~/.server/health';

/** For load balancers: 200 only when the database answers. */
export async function loader() {
  const healthy = await databaseIsHealthy(getDb());
  return new Response(healthy ? 'OK' : 'Database unavailable', {
    status: healthy ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}

import { handler } from '~/.server/http';
import { exportMyData } from '~/.server/privacy';

// Built within the request: one person's data is a bounded handful of queries.
export const loader = handler(async ({ db, viewer }) => {
  const document = await exportMyData(db, viewer);
  const day = document.exportedAt.slice(0, 10);
  return new Response(JSON.stringify(document, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="my-open-consultation-data-${day}.json"`,
      'Cache-Control': 'no-store',
    },
  });
});

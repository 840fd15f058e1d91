import { readAuditFilter, siteAuditCsv } from '~/.server/audit-log';
import { handler } from '~/.server/http';

export const loader = handler(async ({ db, viewer, request }) => {
  const { filter } = readAuditFilter(request);
  const { filename, csv } = await siteAuditCsv(db, viewer, filter);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
});

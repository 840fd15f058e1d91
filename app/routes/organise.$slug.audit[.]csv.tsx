import { consultationAuditCsv, readAuditFilter } from '~/.server/audit-log';
import { handler } from '~/.server/http';

export const loader = handler(async ({ db, viewer, params, request }) => {
  const { filter } = readAuditFilter(request);
  const { filename, csv } = await consultationAuditCsv(db, viewer, params.slug!, filter);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
});

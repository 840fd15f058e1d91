import { exportConsultation } from '~/.server/exports';
import { handler } from '~/.server/http';

export const loader = handler(async ({ db, viewer, params }) => {
  const document = await exportConsultation(db, viewer, params.slug!);
  return new Response(JSON.stringify(document, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${document.consultation.slug}.json"`,
      'Cache-Control': 'no-store',
    },
  });
});

import { Readable } from 'node:stream';
import { openOrganiserExport } from '~/.server/exports';
import { notFound } from '~/.server/errors';
import { handler } from '~/.server/http';
import { parseExportFile } from '~/lib/schemas/exports';

// One organiser download, streamed as it is read: the response starts after the first batch,
// and memory holds one batch whatever the consultation's size.
export const loader = handler(async ({ db, viewer, params, ctx }) => {
  const file = parseExportFile(params.file!);
  if (!file) throw notFound('file');
  const download = await openOrganiserExport(db, viewer, params.slug!, file, {
    via: 'web',
    requestId: ctx.requestId,
  });
  return new Response(Readable.toWeb(download.stream) as ReadableStream, {
    headers: {
      'Content-Type': download.contentType,
      'Content-Disposition': `attachment; filename="${download.filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});

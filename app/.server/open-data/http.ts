import type { OpenDataEntry } from './service';

/**
 * Public data may sit in shared caches for a minute; an organiser's preview before the results
 * are public must not.
 */
export function openDataCacheControl(isPublic: boolean) {
  return isPublic ? 'public, max-age=60' : 'private, no-store';
}

/** One file of the package as a download, answering a matching If-None-Match with a 304. */
export function openDataResponse(
  request: Request,
  slug: string,
  file: OpenDataEntry,
  isPublic: boolean,
) {
  const etag = `"${file.sha256}"`;
  const headers = new Headers({
    'Cache-Control': openDataCacheControl(isPublic),
    ETag: etag,
  });
  const matches = request.headers
    .get('If-None-Match')
    ?.split(',')
    .some((tag) => tag.trim() === etag);
  if (matches) return new Response(null, { status: 304, headers });
  // Spreadsheets and archives are saved; JSON and the README can be read in the browser.
  const saved = file.name.endsWith('.csv') || file.name.endsWith('.zip');
  headers.set('Content-Type', file.contentType);
  headers.set('Content-Length', String(file.bytes));
  headers.set(
    'Content-Disposition',
    `${saved ? 'attachment' : 'inline'}; filename="${slug}-${file.name}"`,
  );
  return new Response(Buffer.from(file.body), { headers });
}

import { DomainError, notFound } from '~/.server/errors';
import { domainErrorJson, handler } from '~/.server/http';
import { getOpenData, openDataResponse } from '~/.server/open-data';
import { isOpenDataFile } from '~/lib/open-data/files';

// One file of the open data package, for anyone once the results are public.
export const loader = handler(async ({ db, viewer, params, request }) => {
  try {
    const name = params.file!;
    if (!isOpenDataFile(name)) throw notFound('file');
    const { consultation, files } = await getOpenData(db, viewer, params.slug!);
    const file = files.find((f) => f.name === name)!;
    return openDataResponse(request, consultation.slug, file, !consultation.notPublicYet);
  } catch (error) {
    if (error instanceof DomainError) return domainErrorJson(error);
    throw error;
  }
});

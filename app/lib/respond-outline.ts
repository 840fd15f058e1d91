import { useRouteLoaderData } from '@remix-run/react';
import type { loader } from '~/routes/consultations.$slug.respond';

const RESPOND_LAYOUT = 'routes/consultations.$slug.respond';

/**
 * The consultation and the recommendations asked about, as the respond layout loaded them: for
 * the pages under /consultations/<slug>/respond, which render inside that layout.
 */
export function useRespondOutline() {
  const outline = useRouteLoaderData<typeof loader>(RESPOND_LAYOUT);
  if (!outline) throw new Error('useRespondOutline is for pages inside the respond layout.');
  return outline;
}

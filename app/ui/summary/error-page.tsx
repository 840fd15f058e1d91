import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react';
import { whatHappensNext } from '~/lib/lifecycle';
import type { Phase } from '~/lib/phase';
import { PhaseTag } from '~/ui/phase-tag';

/** What a summary page answers with (404) while the consultation has none published yet. */
export type NoSummaryYet = {
  message: string;
  stage: {
    slug: string;
    title: string;
    phase: Phase;
    opensAt: Date | string | null;
    closesAt: Date | string | null;
  };
};

function isNoSummaryYet(value: unknown): value is NoSummaryYet {
  return typeof value === 'object' && value !== null && 'stage' in value;
}

/**
 * The summary pages' error page: before publication it says where the consultation stands and
 * what happens next; an unknown consultation or version reads like the site's 404.
 */
export function SummaryErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && isNoSummaryYet(error.data)) {
    const { stage } = error.data;
    const resultsPublic = stage.phase === 'closed' || stage.phase === 'analysing';
    return (
      <div className="narrow">
        <PhaseTag phase={stage.phase} />
        <h1 style={{ marginTop: '0.5rem' }}>
          <span className="caption">{stage.title}</span>
          No summary has been published yet
        </h1>
        <p className="lead">{whatHappensNext({ ...stage, publishedSummary: null })}</p>
        <p>
          The summary will be published at this address, with the figures and quotes it relies on
          and the date it was published.
        </p>
        <p>
          <Link to={`/consultations/${stage.slug}`}>Go to the consultation</Link>
          {resultsPublic ? (
            <>
              {' · '}
              <Link to={`/consultations/${stage.slug}/results`}>See the results</Link>
            </>
          ) : null}
        </p>
      </div>
    );
  }
  const data = isRouteErrorResponse(error) ? (error.data as { message?: string } | null) : null;
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const badRequest = isRouteErrorResponse(error) && error.status === 400;
  return (
    <div className="narrow">
      <h1>
        {notFound
          ? 'Page not found'
          : badRequest
            ? 'We could not read that address'
            : 'Sorry, there is a problem with the service'}
      </h1>
      {data?.message ? <p className="lead">{data.message}</p> : null}
      <p>
        {notFound
          ? 'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.'
          : badRequest
            ? 'Go back and try again.'
            : 'Try again later.'}
      </p>
      <p>
        <Link to="/consultations">See every consultation</Link>
      </p>
    </div>
  );
}

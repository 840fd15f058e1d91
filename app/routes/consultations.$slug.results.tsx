import { data, type LinksFunction, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getPublicResultsOverview, getResultsAvailability } from '~/.server/results-views';
import { formatCount } from '~/lib/results/format';
import { parseOverviewQuery } from '~/lib/schemas/results';
import resultsStyles from '~/styles/results.css?url';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { OpenDataLink } from '~/ui/open-data-link';
import { SummaryPublishedNotice } from '~/ui/summary/summary-notice';
import { ResultsErrorPage } from '~/ui/results/error-page';
import { VerifiedFilter } from '~/ui/results/filter';
import { overviewSearch, ResultsOverview } from '~/ui/results/overview';
import { ResultsMethod } from '~/ui/results/recommendation';
import { ResponsesSentence } from '~/ui/results/responses-sentence';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: resultsStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Results – ${data?.consultation.title ?? 'Consultation'} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const query = parseOverviewQuery(new URL(request.url).searchParams);
  if (!query.ok) {
    // An unknown consultation is a 404 whatever its query string.
    await getResultsAvailability(db, viewer, params.slug!);
    throw data(query, { status: 400 });
  }
  return getPublicResultsOverview(db, viewer, params.slug!, query.data);
});

export default function ConsultationResults() {
  const { consultation: c, query, results, canOrganise } = useLoaderData<typeof loader>();
  const base = `/consultations/${c.slug}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/consultations', label: 'Consultations' },
          { to: base, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">Results</span>
        {c.title}
      </h1>
      {c.notPublicYet ? (
        <div className="notice" role="note">
          <p>
            <strong>Preview for organisers.</strong> {c.notPublicYet} Small groups are hidden here
            exactly as the public will see them.
          </p>
        </div>
      ) : null}
      {c.phase === 'published' ? <SummaryPublishedNotice slug={c.slug} /> : null}
      <ResponsesSentence responses={results.responses} verifiedOnly={query.verifiedOnly} />
      <VerifiedFilter
        verifiedOnly={query.verifiedOnly}
        hrefFor={(verifiedOnly) => overviewSearch(query, { verifiedOnly })}
      />
      <ResultsOverview
        rows={results.rows}
        query={query}
        recommendationHref={(slug) =>
          `${base}/recommendations/${slug}/results${query.verifiedOnly ? '?verified=1' : ''}`
        }
      />
      <ResultsMethod />
      <OpenDataLink slug={c.slug} />
      <p className="results-actions">
        <Link to={base}>Back to the consultation</Link>
        {canOrganise ? (
          <>
            {' · '}
            <Link to={`/organise/${c.slug}/results`}>Organiser dashboard</Link>
          </>
        ) : null}
      </p>
      <p className="muted">
        {formatCount(results.rows.length)} recommendations. Figures are updated as each response is
        submitted.
      </p>
    </>
  );
}

export const ErrorBoundary = ResultsErrorPage;

import { data, type LinksFunction, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getPublicRecommendationResults, getResultsAvailability } from '~/.server/results-views';
import { parseRecommendationQuery } from '~/lib/schemas/results';
import resultsStyles from '~/styles/results.css?url';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { OpenDataLink } from '~/ui/open-data-link';
import { SummaryPublishedNotice } from '~/ui/summary/summary-notice';
import { ResultsErrorPage } from '~/ui/results/error-page';
import { VerifiedFilter } from '~/ui/results/filter';
import { RecommendationPager } from '~/ui/results/pager';
import { RecommendationResults, ResultsMethod } from '~/ui/results/recommendation';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: resultsStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Results: ${data.recommendation.number}. ${data.recommendation.title} – Open Consultation`
      : 'Results – Open Consultation',
  },
];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const query = parseRecommendationQuery(new URL(request.url).searchParams);
  if (!query.ok) {
    // An unknown consultation is a 404 whatever its query string.
    await getResultsAvailability(db, viewer, params.slug!);
    throw data(query, { status: 400 });
  }
  return getPublicRecommendationResults(
    db,
    viewer,
    params.slug!,
    params.recommendation!,
    query.data,
  );
});

export default function RecommendationResultsPage() {
  const {
    consultation: c,
    recommendation: r,
    total,
    previous,
    next,
    verifiedOnly,
    results,
    canOrganise,
  } = useLoaderData<typeof loader>();
  const base = `/consultations/${c.slug}`;
  const filter = verifiedOnly ? '?verified=1' : '';
  const resultsOf = (slug: string) => `${base}/recommendations/${slug}/results${filter}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/consultations', label: 'Consultations' },
          { to: base, label: c.title },
          { to: `${base}/results${filter}`, label: 'Results' },
        ]}
      />
      <h1>
        <span className="caption">
          Results for recommendation {r.number} of {total}
        </span>
        {r.title}
      </h1>
      {c.notPublicYet ? (
        <div className="notice" role="note">
          <p>
            <strong>Preview for organisers.</strong> {c.notPublicYet} Small groups are hidden here
            exactly as the public will see them.
          </p>
        </div>
      ) : null}
      {c.phase === 'published' ? (
        <SummaryPublishedNotice slug={c.slug} recommendationNumber={r.number} />
      ) : null}
      <VerifiedFilter
        verifiedOnly={verifiedOnly}
        hrefFor={(verified) => `?${verified ? 'verified=1' : ''}`}
      />
      <RecommendationResults
        results={results}
        consultationSlug={c.slug}
        verifiedOnly={verifiedOnly}
      />
      <ResultsMethod />
      <OpenDataLink slug={c.slug} />
      <p className="results-actions">
        <Link to={`${base}/recommendations/${r.slug}`}>
          Read the recommendation and its discussion
        </Link>
        {canOrganise ? (
          <>
            {' · '}
            <Link to={`/organise/${c.slug}/results/${r.slug}`}>Organiser view</Link>
          </>
        ) : null}
      </p>
      <RecommendationPager
        previous={previous}
        next={next}
        hrefOf={resultsOf}
        noun="results of recommendation"
      />
    </>
  );
}

export const ErrorBoundary = ResultsErrorPage;

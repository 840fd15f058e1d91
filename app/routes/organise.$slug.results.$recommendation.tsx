import { data, type LinksFunction, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getOrganiserRecommendationResults } from '~/.server/results-views';
import { parseRecommendationQuery } from '~/lib/schemas/results';
import resultsStyles from '~/styles/results.css?url';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ResultsErrorPage } from '~/ui/results/error-page';
import { VerifiedFilter } from '~/ui/results/filter';
import { RecommendationPager } from '~/ui/results/pager';
import { RecommendationResults, ResultsMethod } from '~/ui/results/recommendation';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: resultsStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Dashboard: ${data.recommendation.number}. ${data.recommendation.title} – Open Consultation`
      : 'Results dashboard – Open Consultation',
  },
];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const query = parseRecommendationQuery(new URL(request.url).searchParams);
  if (!query.ok) throw data(query, { status: 400 });
  return getOrganiserRecommendationResults(
    db,
    viewer,
    params.slug!,
    params.recommendation!,
    query.data,
  );
});

export default function OrganiserRecommendationResults() {
  const {
    consultation: c,
    recommendation: r,
    total,
    previous,
    next,
    verifiedOnly,
    results,
  } = useLoaderData<typeof loader>();
  const base = `/organise/${c.slug}/results`;
  const filter = verifiedOnly ? '?verified=1' : '';
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
          { to: `${base}${filter}`, label: 'Results dashboard' },
        ]}
      />
      <h1>
        <span className="caption">
          Dashboard: recommendation {r.number} of {total}
        </span>
        {r.title}
      </h1>
      <p>
        Unsuppressed figures and analysts&apos; detail, for organisers only. The{' '}
        <Link to={`/consultations/${c.slug}/recommendations/${r.slug}/results`}>
          public results page
        </Link>{' '}
        {c.notPublicYet ? 'is not public yet.' : 'shows the same without the detail.'}
      </p>
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
      <RecommendationPager
        previous={previous}
        next={next}
        hrefOf={(slug) => `${base}/${slug}${filter}`}
        noun="recommendation"
      />
    </>
  );
}

export const ErrorBoundary = ResultsErrorPage;

import { data, redirect, type LinksFunction, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { getOrganiserResultsOverview, setResultsVisibility } from '~/.server/results-views';
import { parseOverviewQuery, ResultsVisibilitySchema } from '~/lib/schemas/results';
import { RESULTS_VISIBILITY_LABELS } from '~/lib/forms/results';
import resultsStyles from '~/styles/results.css?url';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary, Radios } from '~/ui/form';
import { ResultsErrorPage } from '~/ui/results/error-page';
import { VerifiedFilter } from '~/ui/results/filter';
import { overviewSearch, ResultsOverview } from '~/ui/results/overview';
import { ResultsMethod } from '~/ui/results/recommendation';
import { ResponsesSentence } from '~/ui/results/responses-sentence';
import { SubmitButton } from '~/ui/submit-button';
import { RESULTS_VISIBILITIES } from '~/lib/enums';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: resultsStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `Results dashboard – ${data?.consultation.title ?? 'Consultation'} – Open Consultation`,
  },
];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const search = new URL(request.url).searchParams;
  // `saved` only carries the confirmation after the setting form; the rest is the overview's.
  search.delete('saved');
  const query = parseOverviewQuery(search);
  if (!query.ok) throw data(query, { status: 400 });
  return getOrganiserResultsOverview(db, viewer, params.slug!, query.data);
});

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, ResultsVisibilitySchema, async (input) => {
    const { changed } = await setResultsVisibility(db, viewer, params.slug!, input, ctx);
    return redirect(
      `/organise/${params.slug}/results?saved=${changed ? 'visibility' : 'unchanged'}#visibility`,
    );
  }),
);

const SAVED: Record<string, string> = {
  visibility: 'Saved. The public results follow your new choice from now on.',
  unchanged: 'Nothing to change: that was already the setting.',
};

export default function ResultsDashboard() {
  const { consultation: c, query, results } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const [search] = useSearchParams();
  const saved = SAVED[search.get('saved') ?? ''];
  const base = `/organise/${c.slug}/results`;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">Results dashboard</span>
        {c.title}
      </h1>
      <p>
        Every figure here is unsuppressed: small groups are shown in full, so this page is for
        organisers only. The{' '}
        <Link to={`/consultations/${c.slug}/results`}>public results page</Link> hides groups of
        fewer than 5 people.
      </p>
      {saved && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>{saved}</p>
        </div>
      ) : null}
      <ErrorSummary
        feedback={feedback}
        labels={{ resultsVisibility: 'When the public can see the results' }}
      />

      <section className="panel" aria-labelledby="visibility">
        <h2 id="visibility">When the public can see the results</h2>
        <p>
          {c.notPublicYet ? `Not public yet. ${c.notPublicYet}` : 'The results are public now.'}
        </p>
        <Form method="post" className="form" noValidate>
          <Radios
            name="resultsVisibility"
            legend="Show the results to the public"
            hint="Showing results while people are still responding can sway them. Organisers can always see this dashboard."
            feedback={feedback}
            defaultValue={c.resultsVisibility}
            options={RESULTS_VISIBILITIES.map((value) => ({
              value,
              label: RESULTS_VISIBILITY_LABELS[value],
              hint: value === 'after_close' ? 'Recommended' : undefined,
            }))}
          />
          <SubmitButton pendingText="Saving…">Save setting</SubmitButton>
        </Form>
      </section>

      <h2 id="overview">Overview</h2>
      <ResponsesSentence responses={results.responses} verifiedOnly={query.verifiedOnly} />
      <VerifiedFilter
        verifiedOnly={query.verifiedOnly}
        hrefFor={(verifiedOnly) => overviewSearch(query, { verifiedOnly })}
      />
      <ResultsOverview
        rows={results.rows}
        query={query}
        recommendationHref={(slug) => `${base}/${slug}${query.verifiedOnly ? '?verified=1' : ''}`}
      />
      <ResultsMethod />
    </>
  );
}

export const ErrorBoundary = ResultsErrorPage;

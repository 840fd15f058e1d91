import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { notFound } from '~/.server/errors';
import { handler } from '~/.server/http';
import { getSummaryPage } from '~/.server/summaries';
import { formatUkDateTime } from '~/lib/dates';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { summaryStylesheets } from '~/ui/summary';
import { SummaryErrorPage } from '~/ui/summary/error-page';
import { SummaryMethod } from '~/ui/summary/method';
import { summaryPath } from '~/ui/summary/summary-page';
import { RecommendationSummary, recommendationAnchor } from '~/ui/summary/summary-view';

export const links: LinksFunction = () => summaryStylesheets;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Summary: ${data.recommendation.number}. ${data.recommendation.title} – Open Consultation`
      : 'Summary – Open Consultation',
  },
];

// One recommendation's part of the latest published summary, on a page of its own (linked from
// the recommendation's page), drawn from the same frozen snapshot as the whole summary.
export const loader = handler(async ({ db, params }) => {
  const page = await getSummaryPage(db, params.slug!);
  const recommendation = page.version.snapshot.recommendations.find(
    (r) => r.slug === params.recommendation,
  );
  if (!recommendation) throw notFound('recommendation in this summary');
  return {
    version: page.version,
    recommendation,
    updates: page.outcomeUpdates[recommendation.slug] ?? [],
  };
});

export default function RecommendationSummaryPage() {
  const { version, recommendation: r, updates } = useLoaderData<typeof loader>();
  const s = version.snapshot;
  const slug = s.consultation.slug;
  return (
    <div className="summary-page">
      <Breadcrumbs
        items={[
          { to: '/consultations', label: 'Consultations' },
          { to: `/consultations/${slug}`, label: s.consultation.title },
          { to: summaryPath(slug), label: 'Summary' },
        ]}
      />
      <article className="summary">
        <RecommendationSummary
          r={r}
          updates={updates}
          threshold={s.method.smallGroupThreshold}
          heading="h1"
        />
        <p className="summary-facts muted">
          From version {version.number} of the summary, published{' '}
          <time dateTime={s.publishedAt}>{formatUkDateTime(s.publishedAt)}</time> (UK time). SHA-256
          of the whole version: <code className="hash">{version.contentHash}</code>
        </p>
        <SummaryMethod snapshot={s} preview={false} />
      </article>
      <p className="summary-actions">
        <Link to={`${summaryPath(slug)}#${recommendationAnchor(r.number)}`}>
          Read the whole summary
        </Link>
        {' · '}
        <Link to={`/consultations/${slug}/recommendations/${r.slug}`}>
          The recommendation and its discussion
        </Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = SummaryErrorPage;

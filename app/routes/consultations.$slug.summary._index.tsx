import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getSummaryPage } from '~/.server/summaries';
import { summaryStylesheets } from '~/ui/summary';
import { SummaryErrorPage } from '~/ui/summary/error-page';
import { SummaryPage } from '~/ui/summary/summary-page';

export const links: LinksFunction = () => summaryStylesheets;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Summary – ${data.version.snapshot.consultation.title} – Open Consultation`
      : 'Summary – Open Consultation',
  },
];

export const loader = handler(async ({ db, params }) => getSummaryPage(db, params.slug!));

export default function LatestSummary() {
  return <SummaryPage {...useLoaderData<typeof loader>()} />;
}

export const ErrorBoundary = SummaryErrorPage;

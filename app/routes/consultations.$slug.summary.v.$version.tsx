import { data, type LinksFunction, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getSummaryPage } from '~/.server/summaries';
import { parseVersionNumber } from '~/lib/schemas/summary-pages';
import { summaryStylesheets } from '~/ui/summary';
import { SummaryErrorPage } from '~/ui/summary/error-page';
import { SummaryPage } from '~/ui/summary/summary-page';

export const links: LinksFunction = () => summaryStylesheets;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Version ${data.version.number} of the summary – ${data.version.snapshot.consultation.title} – Open Consultation`
      : 'Summary – Open Consultation',
  },
];

export const loader = handler(async ({ db, params }) => {
  const number = parseVersionNumber(params.version!);
  if (number === null) {
    throw data({ message: 'We could not find that version of this summary.' }, { status: 404 });
  }
  return getSummaryPage(db, params.slug!, number);
});

export default function SummaryVersion() {
  return <SummaryPage {...useLoaderData<typeof loader>()} />;
}

export const ErrorBoundary = SummaryErrorPage;

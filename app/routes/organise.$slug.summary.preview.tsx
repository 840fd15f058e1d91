import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { previewSummary } from '~/.server/summaries';
import { handler } from '~/.server/http';
import { SummaryCrumbs } from '~/ui/summary-editor';
import editorStyles from '~/styles/summary-editor.css?url';
import { SummaryView, summaryStylesheets } from '~/ui/summary';

export const links: LinksFunction = () => [
  ...summaryStylesheets,
  { rel: 'stylesheet', href: editorStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `Preview: summary of ${data?.snapshot.consultation.title ?? 'the consultation'} – Open Consultation`,
  },
];

export const loader = handler(async ({ db, viewer, params }) =>
  previewSummary(db, viewer, params.slug!),
);

const ANCHORS: Record<string, string> = {
  youSaid: 'field-youSaid',
  weDid: 'field-weDid',
  outcomeStatus: 'field-outcomeStatus',
  quotes: 'field-quotes',
  citations: 'field-citations',
};

export default function SummaryPreview() {
  const { snapshot, problems, status, publishedNumber } = useLoaderData<typeof loader>();
  const slug = snapshot.consultation.slug;
  const base = `/organise/${slug}/summary`;
  const slugOf = new Map(snapshot.recommendations.map((r) => [r.number, r.slug]));
  const hrefOf = (field: string) => {
    const [, number, part] = field.split('.');
    return field === 'intro'
      ? `${base}#field-intro`
      : `${base}/recommendations/${slugOf.get(Number(number))}#${ANCHORS[part!] ?? ''}`;
  };
  const list = Object.entries(problems);
  const canPublish = status === 'analysing' || publishedNumber !== null;
  return (
    <>
      <SummaryCrumbs consultation={snapshot.consultation} />
      {list.length ? (
        <div className="notice notice--warning" role="note" aria-labelledby="problems-heading">
          <h2 id="problems-heading">Not ready to publish</h2>
          <ul>
            {list.map(([field, messages]) =>
              messages.map((message) => (
                <li key={`${field}:${message}`}>
                  <Link to={hrefOf(field)}>{message}</Link>
                </li>
              )),
            )}
          </ul>
        </div>
      ) : null}
      <SummaryView snapshot={snapshot} preview />
      <div className="button-row editor-actions">
        {canPublish ? (
          <Link to={`${base}/publish`} className="button">
            {publishedNumber ? 'Publish a correction' : 'Publish the summary'}
          </Link>
        ) : null}
        <Link to={base}>Back to the summary editor</Link>
      </div>
    </>
  );
}

import { data, type LinksFunction, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Fragment } from 'react';
import { z } from 'zod';
import { handler } from '~/.server/http';
import { getSummaryChanges } from '~/.server/summaries';
import { formatUkDateTime } from '~/lib/dates';
import { SummaryChangesQuerySchema } from '~/lib/schemas/summary-pages';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { summaryStylesheets } from '~/ui/summary';
import { VersionChanges, VersionPicker } from '~/ui/summary/changes';
import { SummaryErrorPage } from '~/ui/summary/error-page';
import { summaryPath } from '~/ui/summary/summary-page';

export const links: LinksFunction = () => summaryStylesheets;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `What changed in the summary – ${data.consultation.title} – Open Consultation`
      : 'What changed in the summary – Open Consultation',
  },
];

export const loader = handler(async ({ db, params, request }) => {
  const search = Object.fromEntries(new URL(request.url).searchParams);
  const query = SummaryChangesQuerySchema.safeParse(search);
  const page = await getSummaryChanges(
    db,
    params.slug!,
    query.success ? query.data : { from: null, to: null },
  );
  if (!query.success) {
    const fieldErrors = z.flattenError(query.error).fieldErrors as Record<string, string[]>;
    const unknown = query.error.issues.some((i) => i.code === 'unrecognized_keys');
    return data(
      {
        ...page,
        diff: null,
        values: search,
        feedback: {
          formError: unknown ? 'This page only understands “from” and “to” version numbers.' : null,
          fieldErrors,
        },
      },
      { status: 400 },
    );
  }
  const failed = Object.keys(page.problems).length > 0;
  return data(
    { ...page, values: search, feedback: { formError: null, fieldErrors: page.problems } },
    { status: failed ? 400 : 200 },
  );
});

export default function SummaryChanges() {
  const { consultation: c, versions, from, to, diff, feedback } = useLoaderData<typeof loader>();
  const base = `/consultations/${c.slug}`;
  const between = versions.filter(
    (v) => v.number > Math.min(from, to) && v.number <= Math.max(from, to),
  );
  return (
    <div className="summary-page">
      <Breadcrumbs
        items={[
          { to: '/consultations', label: 'Consultations' },
          { to: base, label: c.title },
          { to: summaryPath(c.slug), label: 'Summary' },
        ]}
      />
      <h1>
        <span className="caption">What changed in the summary</span>
        {c.title}
      </h1>
      {versions.length < 2 ? (
        <p className="lead">
          There is only one version of this summary so far, so nothing has changed.{' '}
          <a href={summaryPath(c.slug)}>Read the summary</a>.
        </p>
      ) : (
        <>
          <p className="lead">
            Each correction is published as a new version with a note saying what it changes. Choose
            two versions to see every text, outcome, quote and piece of evidence that differs.
          </p>
          <VersionPicker
            slug={c.slug}
            versions={versions}
            from={from}
            to={to}
            feedback={feedback}
          />
          {diff ? (
            <>
              <h2>
                From version {diff.from.number} to version {diff.to.number}
              </h2>
              <dl className="facts summary-facts">
                {[diff.from, diff.to].map((v) => (
                  <Fragment key={v.number}>
                    <dt>Version {v.number}</dt>
                    <dd>
                      Published {formatUkDateTime(v.publishedAt)} (UK time)
                      <br />
                      SHA-256 <code className="hash">{v.contentHash}</code>
                    </dd>
                  </Fragment>
                ))}
              </dl>
              <h3>{between.length === 1 ? 'Change note' : 'Change notes'}</h3>
              <ul>
                {between.map((v) => (
                  <li key={v.number}>
                    <strong>Version {v.number}:</strong> {v.changeNote}
                  </li>
                ))}
              </ul>
              <VersionChanges
                slug={c.slug}
                fields={diff.fields}
                from={diff.from.number}
                to={diff.to.number}
              />
            </>
          ) : from === to &&
            Object.keys(feedback.fieldErrors).length === 0 &&
            !feedback.formError ? (
            <p>Both choices are version {from}: choose two different versions to compare.</p>
          ) : null}
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = SummaryErrorPage;

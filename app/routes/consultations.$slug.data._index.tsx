import { data, type HeadersFunction, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getOpenData, openDataCacheControl } from '~/.server/open-data';
import { FILE_DESCRIPTIONS, LICENCE, formatSize } from '~/lib/open-data/files';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ScrollRegion } from '~/ui/scroll-region';
import { ResultsErrorPage } from '~/ui/results/error-page';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Open data – ${data?.consultation.title ?? 'Consultation'} – Open Consultation` },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const loader = handler(async ({ db, viewer, params }) => {
  const { consultation, files } = await getOpenData(db, viewer, params.slug!);
  return data(
    {
      consultation,
      files: files.map(({ name, format, bytes, sha256 }) => ({ name, format, bytes, sha256 })),
    },
    { headers: { 'Cache-Control': openDataCacheControl(!consultation.notPublicYet) } },
  );
});

export default function OpenData() {
  const { consultation: c, files } = useLoaderData<typeof loader>();
  const base = `/consultations/${c.slug}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/consultations', label: 'Consultations' },
          { to: base, label: c.title },
          { to: `${base}/results`, label: 'Results' },
        ]}
      />
      <h1>
        <span className="caption">Open data</span>
        {c.title}
      </h1>
      <p className="lead">
        Download the evidence behind the results and check every figure for yourself. No account is
        needed.
      </p>
      {c.notPublicYet ? (
        <div className="notice" role="note">
          <p>
            <strong>Preview for organisers.</strong> {c.notPublicYet}
          </p>
        </div>
      ) : null}
      <ScrollRegion label="Files">
        <table className="table table--data">
          <caption>Files</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">What it holds</th>
              <th scope="col">Format</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.name}>
                <th scope="row">
                  <a href={`${base}/data/${f.name}`} download={`${c.slug}-${f.name}`}>
                    {f.name}
                  </a>
                </th>
                <td>{FILE_DESCRIPTIONS[f.name]}</td>
                <td>{f.format}</td>
                <td className="numeric">{formatSize(f.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <h2>Check the figures yourself</h2>
      <p>
        Every figure on the results pages can be worked out again from <code>aggregates.csv</code>.
        The README explains each column and the method, with a worked example. With this platform’s
        code, <code>npm run verify-open-data -- {c.slug}-open-data</code> recomputes every figure
        from an unzipped download and says whether they all match.
      </p>
      <p>
        Groups of fewer than 5 people are left blank and marked as suppressed, as on the results
        pages. Responses appear only as their authors chose: named, anonymous with their group, or
        not at all.
      </p>
      <p>
        Licence: <a href={LICENCE.url}>{LICENCE.name}</a>. Each file’s SHA-256 fingerprint is in{' '}
        <code>manifest.json</code>.
      </p>
      <p className="results-actions">
        <Link to={`${base}/results`}>See the results</Link>
        {' · '}
        <Link to={base}>Back to the consultation</Link>
      </p>
    </>
  );
}

export const ErrorBoundary = ResultsErrorPage;

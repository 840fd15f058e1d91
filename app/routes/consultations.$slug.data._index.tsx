import { data, type HeadersFunction, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getOpenData, openDataCacheControl } from '~/.server/open-data';
import { FILE_DESCRIPTIONS, LICENCE, formatSize } from '~/lib/open-data/files';
import { Breadcrumbs } from '~/ui/breadcrumbs';
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
  const zip = files.find((f) => f.name === 'open-data.zip');
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
      {c.phase === 'published' ? (
        <p>
          These files hold the live results, as the results pages show them. The{' '}
          <Link to={`${base}/summary`}>published summary</Link> keeps the figures as they were when
          it was published, so the two can differ if, for example, a response was withdrawn since.
        </p>
      ) : null}
      {c.notPublicYet ? (
        <div className="notice" role="note">
          <p>
            <strong>Preview for organisers.</strong> {c.notPublicYet}
          </p>
        </div>
      ) : null}
      {zip ? (
        <p>
          <a
            className="button"
            href={`${base}/data/${zip.name}`}
            download={`${c.slug}-${zip.name}`}
          >
            Download every file (ZIP, {formatSize(zip.bytes)})
          </a>
        </p>
      ) : null}
      <h2>Files</h2>
      <ul className="card-list" aria-label="Files">
        {files.map((f) => (
          <li key={f.name} className="card">
            <h3 id={`file-${f.name}`}>
              <a href={`${base}/data/${f.name}`} download={`${c.slug}-${f.name}`}>
                {f.name}
              </a>
            </h3>
            <p>{FILE_DESCRIPTIONS[f.name]}</p>
            <p className="card__meta">
              {f.format}, {formatSize(f.bytes)}
            </p>
          </li>
        ))}
      </ul>
      <h2>Check the figures yourself</h2>
      <p>
        Every figure on the results pages can be worked out again from <code>aggregates.csv</code>.
        The README explains each column and the method, with a worked example. With this platform’s
        code, <code>npm run verify-open-data -- {c.slug}-open-data.zip</code> recomputes every
        figure from the download and says whether they all match.
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

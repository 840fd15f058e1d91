import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listOrganiserExports } from '~/.server/exports';
import { handler } from '~/.server/http';
import { plural } from '~/lib/plural';
import { Breadcrumbs } from '~/ui/breadcrumbs';

export const meta: MetaFunction = () => [{ title: 'Download the data – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) =>
  listOrganiserExports(db, viewer, params.slug!),
);

const FORMAT_LABELS = { csv: 'CSV', json: 'JSON' } as const;

export default function OrganiserExports() {
  const { consultation: c, datasets } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">Download the data</span>
        {c.title}
      </h1>
      <p className="lead">
        Everything this consultation holds, for its organisers: every response whatever its
        publishing choice, with names, organisations and reasons. Keep these files as safely as the
        privacy notice promises respondents.
      </p>
      <div className="notice" role="note">
        <p>
          Each download is recorded in the <Link to={`/organise/${c.slug}/audit`}>audit log</Link>{' '}
          with your name. CSV files open in spreadsheets (UTF-8, one header row; cells that a
          spreadsheet would run as a formula start with an apostrophe). JSON files hold the same
          rows under <code>rows</code>.
        </p>
      </div>
      <ul className="card-list">
        {datasets.map((d) => (
          <li key={d.dataset} className="card">
            <h2 id={`${d.dataset}-title`}>{d.title}</h2>
            <p>{d.description}</p>
            <p className="card__meta">{plural(d.rows, 'row', 'rows')} now</p>
            <div className="button-row">
              {d.files.map((f) => (
                <a
                  key={f.format}
                  className="button button--secondary"
                  href={`/organise/${c.slug}/exports/${f.name}`}
                  download
                  aria-describedby={`${d.dataset}-title`}
                >
                  Download {FORMAT_LABELS[f.format]}
                </a>
              ))}
            </div>
          </li>
        ))}
      </ul>
      <p>
        From the command line, for large consultations:{' '}
        <code>
          npm run export -- {c.slug} --data responses-long --format csv --out {c.slug}.csv
        </code>
      </p>
    </>
  );
}

import { data, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { browseConsultationAudit, readAuditFilter } from '~/.server/audit-log';
import { handler } from '~/.server/http';
import { AUDIT_FILTER_LABELS, AuditLog } from '~/ui/audit-log';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary } from '~/ui/form';

export const meta: MetaFunction = () => [{ title: 'Audit log – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const { filter, feedback, status } = readAuditFilter(request);
  const log = await browseConsultationAudit(db, viewer, params.slug!, filter);
  return data({ ...log, filter, feedback }, { status });
});

export default function ConsultationAuditLog() {
  const { consultation: c, filter, feedback, ...log } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">Audit log</span>
        {c.title}
      </h1>
      <p className="lead">
        Every change to this consultation, newest first. Entries cannot be edited or deleted.
      </p>
      <p>
        <a href={`/organise/${c.slug}/export.json`} download>
          Export the consultation (JSON: text, recommendations, published responses and this log)
        </a>
        {' · '}
        <Link to={`/organise/${c.slug}/exports`}>Download the data</Link>
        {' · '}
        <Link to={`/organise/${c.slug}/team`}>Team</Link>
      </p>
      <ErrorSummary feedback={feedback} labels={AUDIT_FILTER_LABELS} />
      <AuditLog
        basePath={`/organise/${c.slug}/audit`}
        csvPath={`/organise/${c.slug}/audit.csv`}
        filters={filter}
        feedback={feedback}
        {...log}
      />
    </>
  );
}

import { data, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { browseSiteAudit, readAuditFilter } from '~/.server/audit-log';
import { handler } from '~/.server/http';
import { AUDIT_FILTER_LABELS, AuditLog } from '~/ui/audit-log';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary } from '~/ui/form';

export const meta: MetaFunction = () => [{ title: 'Site audit log – Open Consultation' }];

export const loader = handler(async ({ db, viewer, request }) => {
  const { filter, feedback, status } = readAuditFilter(request);
  const log = await browseSiteAudit(db, viewer, filter);
  return data({ ...log, filter, feedback }, { status });
});

export default function SiteAuditLog() {
  const { filter, feedback, ...log } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ to: '/organise', label: 'Organise' }]} />
      <h1>Site audit log</h1>
      <p className="lead">
        Every recorded change on the site, newest first: consultations, roles, verification,
        suspensions and refused requests. Entries cannot be edited or deleted.
      </p>
      <ErrorSummary feedback={feedback} labels={AUDIT_FILTER_LABELS} />
      <AuditLog
        basePath="/organise/audit"
        csvPath="/organise/audit.csv"
        filters={filter}
        feedback={feedback}
        showConsultation
        {...log}
      />
    </>
  );
}

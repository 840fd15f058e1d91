import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getAuditLog } from '~/.server/consultations';
import { handler } from '~/.server/http';
import { formatUkDateTime } from '~/lib/dates';
import { Breadcrumbs } from '~/ui/breadcrumbs';

export const meta: MetaFunction = () => [{ title: 'Audit log – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const before = Number(new URL(request.url).searchParams.get('before'));
  return getAuditLog(
    db,
    params.slug!,
    viewer,
    Number.isSafeInteger(before) && before > 0 ? before : undefined,
  );
});

function describe(value: unknown) {
  return value === null || value === undefined ? null : JSON.stringify(value, null, 2);
}

export default function AuditLog() {
  const { consultation: c, events, nextBefore } = useLoaderData<typeof loader>();
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
      {events.length ? (
        <ol className="audit">
          {events.map((e) => {
            const before = describe(e.before);
            const after = describe(e.after);
            return (
              <li key={e.id}>
                <strong>{e.action}</strong> by {e.actor_name ?? 'the system'} on{' '}
                {formatUkDateTime(e.occurred_at)}
                {e.reason ? <p>Reason: {e.reason}</p> : null}
                {before || after ? (
                  <details>
                    <summary>Changes</summary>
                    {before ? <pre>Before: {before}</pre> : null}
                    {after ? <pre>After: {after}</pre> : null}
                  </details>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : (
        <p>Nothing has been recorded yet.</p>
      )}
      {nextBefore ? (
        <p>
          <Link to={`?before=${nextBefore}`}>Older entries</Link>
        </p>
      ) : null}
    </>
  );
}

import { data, type MetaFunction } from '@remix-run/node';
import { VERIFICATION_STATUSES } from '~/lib/enums';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { listVerificationRequests } from '~/.server/verification';
import { formatUkDateTime } from '~/lib/dates';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ScrollRegion } from '~/ui/scroll-region';

export const meta: MetaFunction = () => [{ title: 'Verification requests – Open Consultation' }];

const STATUS_LABELS = {
  pending: 'Waiting',
  approved: 'Approved',
  rejected: 'Rejected',
  revoked: 'Revoked',
} as const;

export const loader = handler(async ({ db, viewer, request }) => {
  const search = new URL(request.url).searchParams;
  const status = search.get('status') ?? 'pending';
  if (!VERIFICATION_STATUSES.includes(status as (typeof VERIFICATION_STATUSES)[number])) {
    throw data({ message: 'That list does not exist.' }, { status: 400 });
  }
  const page = await listVerificationRequests(db, viewer, {
    status: status as (typeof VERIFICATION_STATUSES)[number],
    cursor: search.get('after'),
  });
  return { ...page, status: status as (typeof VERIFICATION_STATUSES)[number] };
});

export default function VerificationRequests() {
  const { requests, nextCursor, status } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ to: '/organise', label: 'Organise' }]} />
      <h1>Verification requests</h1>
      <p className="lead">
        People asking you to confirm the organisation and role they speak for. Oldest first.
      </p>
      <nav aria-label="Requests by state">
        <ul className="sort-links">
          {VERIFICATION_STATUSES.map((s) => (
            <li key={s}>
              <Link to={`?status=${s}`} aria-current={s === status ? 'page' : undefined}>
                {STATUS_LABELS[s]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {requests.length ? (
        <ScrollRegion label="Verification requests (table)">
          <table className="table">
            <caption className="visually-hidden">{STATUS_LABELS[status]} requests</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Asks to be verified as</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/organise/verification/${r.id}`}>{r.displayName}</Link>
                    <br />
                    <span className="muted">{r.email}</span>
                  </td>
                  <td>
                    {r.role} at {r.organisation}
                  </td>
                  <td>{formatUkDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : (
        <p>No {STATUS_LABELS[status].toLowerCase()} requests.</p>
      )}
      {nextCursor ? (
        <p>
          <Link to={`?status=${status}&after=${nextCursor}`}>More requests</Link>
        </p>
      ) : null}
    </>
  );
}

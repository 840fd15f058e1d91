import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { listOutbox } from '~/.server/mail';
import { formatUkDateTime } from '~/lib/dates';

export const meta: MetaFunction = () => [{ title: 'Development outbox – Open Consultation' }];

// Development and tests only (404 in production): every email the site has written, so the
// links in them can be followed without a mail server.
export const loader = handler(async ({ db }) => ({ emails: await listOutbox(db) }));

export default function Outbox() {
  const { emails } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Development outbox</h1>
      <p className="lead">
        The newest 100 emails. Without SMTP_URL they are kept here instead of being sent. This page
        does not exist in production.
      </p>
      {emails.length ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Emails, newest first</caption>
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Written</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {emails.map((e) => (
                <tr key={e.id}>
                  <td>{e.to_address}</td>
                  <td>
                    <Link to={`/dev/outbox/${e.id}`}>{e.subject}</Link>
                  </td>
                  <td>{formatUkDateTime(e.created_at)}</td>
                  <td>{e.sent_at ? formatUkDateTime(e.sent_at) : 'Not sent'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No emails yet.</p>
      )}
    </>
  );
}

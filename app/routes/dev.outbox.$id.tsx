import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { readOutboxEmail } from '~/.server/mail';
import { formatUkDateTime } from '~/lib/dates';

export const meta: MetaFunction = ({ data }) => [
  {
    title: `${(data as { email?: { subject: string } } | undefined)?.email?.subject ?? 'Email'} – Development outbox – Open Consultation`,
  },
];

export const loader = handler(async ({ db, params }) => ({
  email: await readOutboxEmail(db, params.id ?? ''),
}));

/** Turns the absolute links of this site in a plain-text email into links one can follow. */
function Linked({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export default function OutboxEmail() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/dev/outbox">All emails</Link>
      </p>
      <h1>{email.subject}</h1>
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt className="summary-list__key">To</dt>
          <dd className="summary-list__value">{email.to_address}</dd>
        </div>
        <div className="summary-list__row">
          <dt className="summary-list__key">Kind</dt>
          <dd className="summary-list__value">{email.kind}</dd>
        </div>
        <div className="summary-list__row">
          <dt className="summary-list__key">Written</dt>
          <dd className="summary-list__value">{formatUkDateTime(email.created_at)}</dd>
        </div>
        <div className="summary-list__row">
          <dt className="summary-list__key">Sent</dt>
          <dd className="summary-list__value">
            {email.sent_at ? formatUkDateTime(email.sent_at) : 'Not sent'}
            {email.last_error ? ` (last error: ${email.last_error})` : ''}
          </dd>
        </div>
        {Object.entries(email.headers).map(([name, value]) => (
          <div className="summary-list__row" key={name}>
            <dt className="summary-list__key">{name}</dt>
            <dd className="summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>
      <pre className="email-body">
        <Linked text={email.text_body} />
      </pre>
    </>
  );
}

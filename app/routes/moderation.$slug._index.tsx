import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getOverview } from '~/.server/moderation';
import { formatUkDateTime } from '~/lib/dates';
import { HIDE_REASON_LABELS, QUEUE_STATES, QUEUE_STATE_LABELS } from '~/lib/forms/moderation';
import { Breadcrumbs } from '~/ui/breadcrumbs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Moderation: ${data?.consultation.title ?? 'consultation'} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params }) =>
  getOverview(db, viewer, params.slug!),
);

const ACTION_WORDS: Record<string, string> = {
  approve: 'approved',
  hide: 'hid',
  restore: 'restored',
  redact: 'edited',
  escalate: 'escalated',
  undo: 'undid a decision on',
};

export default function ModerationOverview() {
  const { consultation: c, counts, total, recent, isOrganiser } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ to: '/moderation', label: 'Moderation' }]} />
      <h1>
        <span className="caption">Moderation</span>
        {c.title}
      </h1>
      <p className="lead">
        {total === 0
          ? 'Nothing is waiting for a decision.'
          : `${total} ${total === 1 ? 'item is' : 'items are'} waiting for a decision.`}{' '}
        {c.mode === 'pre'
          ? 'This consultation is pre-moderated: every new comment and quote waits for approval.'
          : `Comments are published straight away and hidden after ${c.reportThreshold} reports.`}
      </p>
      <p>
        <Link to={`/moderation/${c.slug}/queue`} className="button">
          Open the queue
        </Link>
      </p>
      <h2>Waiting, by state</h2>
      <ul className="state-counts">
        {QUEUE_STATES.map((state) => (
          <li key={state}>
            <Link to={`/moderation/${c.slug}/queue?state=${state}`}>
              <strong>{counts[state]}</strong> {QUEUE_STATE_LABELS[state]}
            </Link>
          </li>
        ))}
      </ul>
      <div className="grid grid--main-aside">
        <section aria-labelledby="recent-heading">
          <h2 id="recent-heading">Latest decisions</h2>
          {recent.length ? (
            <ol className="history">
              {recent.map((d) => (
                <li key={d.id}>
                  {d.decidedBy} {ACTION_WORDS[d.action]}{' '}
                  <Link to={`/moderation/${c.slug}/items/${d.ref}`}>
                    a {d.type === 'comment' ? 'comment' : 'quote'} on recommendation{' '}
                    {d.recommendationNumber}
                  </Link>
                  {d.reason ? ` (${HIDE_REASON_LABELS[d.reason]})` : ''}
                  {d.bulk ? ' in a bulk action' : ''} on {formatUkDateTime(d.createdAt)}
                </li>
              ))}
            </ol>
          ) : (
            <p>No decisions yet.</p>
          )}
        </section>
        <aside className="panel" aria-labelledby="settings-heading">
          <h2 id="settings-heading">Settings</h2>
          {isOrganiser ? (
            <>
              <p>
                <Link to={`/moderation/${c.slug}/policy`}>Moderation policy and house rules</Link>
              </p>
              <p>
                <Link to={`/organise/${c.slug}/audit`}>Audit log</Link>
              </p>
            </>
          ) : (
            <p>Organisers set the moderation policy and house rules.</p>
          )}
        </aside>
      </div>
    </>
  );
}

import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { listModeratedConsultations } from '~/.server/moderation';

export const meta: MetaFunction = () => [{ title: 'Moderation – Open Consultation' }];

export const loader = handler(async ({ db, viewer }) => ({
  consultations: await listModeratedConsultations(db, viewer),
}));

export default function ModerationHome() {
  const { consultations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Moderation</h1>
      <p className="lead">
        Consultations you moderate, with the number of comments and quotes waiting for a decision.
      </p>
      {consultations.length ? (
        <ul className="task-list">
          {consultations.map((c) => (
            <li key={c.slug}>
              <Link to={`/moderation/${c.slug}`}>{c.title}</Link>
              <span className="task-list__status">
                {c.waiting === 0 ? 'Nothing waiting' : `${c.waiting} waiting`}
                {c.mode === 'pre' ? ' · pre-moderated' : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>You do not moderate any consultation yet.</p>
      )}
    </>
  );
}

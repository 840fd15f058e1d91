import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listConsultations } from '~/.server/consultations';
import { handler } from '~/.server/http';
import { ConsultationCard } from '~/ui/consultation-card';

export const meta: MetaFunction = () => [
  { title: 'Open Consultation: have your say on the policies that shape UK tech' },
  {
    name: 'description',
    content:
      'Read policy recommendations, tell organisers what you think and see what others said.',
  },
];

export const loader = handler(async ({ db, viewer }) => ({
  consultations: await listConsultations(db, viewer),
  signedIn: !!viewer,
}));

export default function Home() {
  const { consultations, signedIn } = useLoaderData<typeof loader>();
  const open = consultations.filter((c) => c.phase === 'open' || c.phase === 'upcoming');
  const published = consultations.filter((c) => c.phase === 'published');
  const rest = consultations.filter((c) => !open.includes(c) && !published.includes(c));
  return (
    <>
      <div className="hero">
        <h1>Have your say on the policies that shape UK tech</h1>
        <p>
          Read each recommendation, tell the organisers what you think and why, and see what
          founders, investors and others said once the consultation closes.
        </p>
        {signedIn ? null : (
          <p>
            <Link to="/signup" className="button">
              Create an account to respond
            </Link>
          </p>
        )}
      </div>
      <h2>Open for comment</h2>
      {open.length ? (
        <ul className="card-list">
          {open.map((c) => (
            <ConsultationCard key={c.slug} consultation={c} headingLevel={3} />
          ))}
        </ul>
      ) : (
        <p>No consultations are open right now.</p>
      )}
      {published.length ? (
        <>
          <h2>What organisers heard, and what they did</h2>
          <p>
            Closed consultations whose organisers have published their summary: the results, what
            people said with the evidence behind it, and what became of each recommendation.
          </p>
          <ul className="card-list">
            {published.map((c) => (
              <ConsultationCard key={c.slug} consultation={c} headingLevel={3} />
            ))}
          </ul>
        </>
      ) : null}
      {rest.length ? (
        <>
          <h2>Closed and draft consultations</h2>
          <ul className="card-list">
            {rest.map((c) => (
              <ConsultationCard key={c.slug} consultation={c} headingLevel={3} />
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

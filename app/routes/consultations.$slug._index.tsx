import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getConsultation } from '~/.server/consultations';
import { handler } from '~/.server/http';
import { getResultsAvailability } from '~/.server/results-views';
import { formatUkDateTime } from '~/lib/dates';
import { PHASE_LABELS } from '~/lib/phase';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { Lifecycle } from '~/ui/lifecycle';
import { PhaseTag } from '~/ui/phase-tag';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.consultation.title} – Open Consultation` : 'Open Consultation' },
  ...(data ? [{ name: 'description', content: data.consultation.summary }] : []),
];

export const loader = handler(async ({ db, viewer, params }) => {
  const [page, results] = await Promise.all([
    getConsultation(db, params.slug!, viewer),
    getResultsAvailability(db, viewer, params.slug!),
  ]);
  return { ...page, results, signedIn: !!viewer };
});

export default function ConsultationPage() {
  const {
    consultation: c,
    recommendations,
    canOrganise,
    signedIn,
    results,
  } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ to: '/consultations', label: 'Consultations' }]} />
      <PhaseTag phase={c.phase} />
      <h1 style={{ marginTop: '0.5rem' }}>{c.title}</h1>
      <p className="lead">{c.summary}</p>
      {c.phase === 'draft' ? null : <Lifecycle facts={c} slug={c.slug} />}
      <div className="grid grid--main-aside">
        <div>
          <dl className="facts">
            <dt>Run by</dt>
            <dd>{c.runBy}</dd>
            <dt>Opens</dt>
            <dd>{c.opensAt ? formatUkDateTime(c.opensAt) : 'Not set'}</dd>
            <dt>Closes</dt>
            <dd>{c.closesAt ? formatUkDateTime(c.closesAt) : 'Not set'}</dd>
            <dt>Status</dt>
            <dd>{PHASE_LABELS[c.phase]}</dd>
          </dl>

          <h2 id="recommendations">The {recommendations.length} recommendations</h2>
          {recommendations.length ? (
            <ol className="recommendations" aria-labelledby="recommendations">
              {recommendations.map((r) => (
                <li key={r.id}>
                  <span className="recommendation-number" aria-hidden="true">
                    {r.number}
                  </span>
                  <div>
                    <h3>
                      <Link to={`/consultations/${c.slug}/recommendations/${r.slug}`}>
                        <span className="visually-hidden">Recommendation {r.number}: </span>
                        {r.title}
                      </Link>
                    </h3>
                    <p>{r.summary}</p>
                    {r.state === 'placeholder' ? (
                      <p>
                        <strong>
                          Not yet open for comment: the source does not name this reform
                        </strong>
                      </p>
                    ) : null}
                  </div>
                </li>
              ))}
            </ol>
          ) : (
            <p>No recommendations have been added yet.</p>
          )}

          <h2 id="about">About this consultation</h2>
          <div className="prose" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
        </div>
        <aside className="panel" aria-labelledby="take-part">
          <h2 id="take-part">Take part</h2>
          {c.phase === 'open' ? (
            <>
              <p>This consultation is open until {formatUkDateTime(c.closesAt!)}.</p>
              <p>
                Read each recommendation, then give your view on it. Founders, investors and anyone
                else affected are welcome.
              </p>
              {signedIn ? (
                <p>
                  <Link to={`/consultations/${c.slug}/respond`} className="button">
                    Respond to this consultation
                  </Link>
                </p>
              ) : (
                <p>
                  <Link
                    to={`/signup?redirectTo=${encodeURIComponent(`/consultations/${c.slug}/respond`)}`}
                    className="button"
                  >
                    Create an account to respond
                  </Link>
                  <br />
                  or{' '}
                  <Link
                    to={`/login?redirectTo=${encodeURIComponent(`/consultations/${c.slug}/respond`)}`}
                  >
                    sign in
                  </Link>
                </p>
              )}
            </>
          ) : c.phase === 'upcoming' ? (
            <p>This consultation opens on {formatUkDateTime(c.opensAt!)}.</p>
          ) : c.phase === 'draft' ? (
            <p>This is a draft. Only organisers can see it.</p>
          ) : c.phase === 'published' ? (
            <>
              <p>
                This consultation has closed and its summary is published: what the organisers
                heard, the evidence for it, and what they will do about each recommendation.
              </p>
              <p>
                <Link to={`/consultations/${c.slug}/summary`} className="button">
                  Read the summary
                </Link>
              </p>
            </>
          ) : (
            <p>This consultation has closed. Thank you to everyone who took part.</p>
          )}
          <h3>Results</h3>
          {results.readable ? (
            <p>
              <Link to={`/consultations/${c.slug}/results`}>
                See the results{results.notPublicYet ? ' (organiser preview)' : ''}
              </Link>
            </p>
          ) : (
            <p>{results.notPublicYet}</p>
          )}
          {canOrganise ? (
            <p>
              <Link to={`/organise/${c.slug}`}>Edit this consultation</Link>
            </p>
          ) : null}
        </aside>
      </div>
    </>
  );
}

import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getRecommendation } from '~/.server/consultations';
import { handler } from '~/.server/http';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { datesSentence } from '~/ui/consultation-card';
import { PhaseTag } from '~/ui/phase-tag';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.recommendation.number}. ${data.recommendation.title} – ${data.consultation.title}`
      : 'Open Consultation',
  },
];

export const loader = handler(async ({ db, viewer, params }) =>
  getRecommendation(db, params.slug!, params.recommendation!, viewer),
);

export default function RecommendationPage() {
  const {
    consultation: c,
    recommendation: r,
    total,
    previous,
    next,
    canOrganise,
  } = useLoaderData<typeof loader>();
  const base = `/consultations/${c.slug}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/consultations', label: 'Consultations' },
          { to: base, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">
          Recommendation {r.number} of {total}
        </span>
        {r.title}
      </h1>
      <p className="lead">{r.summary}</p>
      <div className="grid grid--main-aside">
        <div className="prose" dangerouslySetInnerHTML={{ __html: r.rationaleHtml }} />
        <aside className="panel" aria-labelledby="status-heading">
          <h2 id="status-heading">Status</h2>
          <p>
            <PhaseTag phase={c.phase} />
          </p>
          <p>{datesSentence(c)}.</p>
          {c.phase === 'open' ? (
            <p>
              <Link to={`${base}/respond/recommendations/${r.slug}`} className="button">
                Give your view
              </Link>
            </p>
          ) : null}
          <p>
            <Link to={base}>All recommendations in this consultation</Link>
          </p>
          {canOrganise ? (
            <p>
              <Link to={`/organise/${c.slug}/recommendations/${r.slug}`}>
                Edit this recommendation
              </Link>
            </p>
          ) : null}
        </aside>
      </div>
      <nav className="pager" aria-label="Recommendations">
        {previous ? (
          <Link to={`${base}/recommendations/${previous.slug}`} rel="prev">
            <span className="pager__label">‹ Previous: recommendation {previous.number}</span>
            {previous.title}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`${base}/recommendations/${next.slug}`} rel="next">
            <span className="pager__label">Next: recommendation {next.number} ›</span>
            {next.title}
          </Link>
        ) : null}
      </nav>
    </>
  );
}

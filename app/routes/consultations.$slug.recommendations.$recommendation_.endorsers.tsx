import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getRecommendation } from '~/.server/consultations';
import { listNamedEndorsers } from '~/.server/endorsements';
import { handler } from '~/.server/http';
import { formatUkDate } from '~/lib/dates';
import { SEGMENT_LABELS } from '~/lib/forms/accounts';
import { Breadcrumbs } from '~/ui/breadcrumbs';

export const meta: MetaFunction = () => [{ title: 'Endorsers – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const [slug, recommendation] = [params.slug!, params.recommendation!];
  const after = new URL(request.url).searchParams.get('after');
  const [page, endorsers] = await Promise.all([
    getRecommendation(db, slug, recommendation, viewer),
    listNamedEndorsers(db, slug, recommendation, after),
  ]);
  return {
    consultation: { slug: page.consultation.slug, title: page.consultation.title },
    recommendation: {
      slug: page.recommendation.slug,
      number: page.recommendation.number,
      title: page.recommendation.title,
    },
    ...endorsers,
    firstPage: !after,
  };
});

export default function Endorsers() {
  const {
    consultation: c,
    recommendation: r,
    endorsers,
    nextCursor,
    firstPage,
  } = useLoaderData<typeof loader>();
  const pageHref = `/consultations/${c.slug}/recommendations/${r.slug}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: `/consultations/${c.slug}`, label: c.title },
          { to: pageHref, label: `Recommendation ${r.number}` },
        ]}
      />
      <h1>
        <span className="caption">{r.title}</span>
        Who endorsed it
      </h1>
      <p className="narrow">
        People who endorsed this recommendation and chose to be named, newest first. Endorsements on
        behalf of an organisation are shown as such once that organisation is verified.
      </p>
      {endorsers.length ? (
        <ul className="endorser-list">
          {endorsers.map((e) => (
            <li key={e.id}>
              <strong>{e.displayName}</strong>{' '}
              {e.verified ? <span className="badge">Verified</span> : null},{' '}
              {SEGMENT_LABELS[e.segment].toLowerCase()}
              {e.onBehalfOf ? <> – on behalf of {e.onBehalfOf}</> : null}
              <span className="muted"> · {formatUkDate(e.endorsedAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>{firstPage ? 'Nobody has chosen to be named yet.' : 'No more endorsers.'}</p>
      )}
      {nextCursor ? (
        <p>
          <Link to={`?after=${encodeURIComponent(nextCursor)}`}>More endorsers</Link>
        </p>
      ) : null}
      <p>
        <Link to={pageHref}>Back to the recommendation</Link>
      </p>
    </>
  );
}

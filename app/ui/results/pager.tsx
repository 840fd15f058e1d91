import { Link } from '@remix-run/react';

type Neighbour = { slug: string; number: number; title: string } | null;

/**
 * The previous and next recommendation's results, at the foot of a recommendation's results
 * (public or dashboard). `noun` is what a link leads to, e.g. "results of recommendation".
 */
export function RecommendationPager({
  previous,
  next,
  hrefOf,
  noun,
}: {
  previous: Neighbour;
  next: Neighbour;
  hrefOf: (slug: string) => string;
  noun: string;
}) {
  return (
    <nav className="pager" aria-label="Other recommendations' results">
      {previous ? (
        <Link to={hrefOf(previous.slug)} rel="prev">
          <span className="pager__label">
            ‹ Previous: {noun} {previous.number}
          </span>
          {previous.title}
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link to={hrefOf(next.slug)} rel="next">
          <span className="pager__label">
            Next: {noun} {next.number} ›
          </span>
          {next.title}
        </Link>
      ) : null}
    </nav>
  );
}

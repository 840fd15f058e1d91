import { Link } from '@remix-run/react';

/** Everyone or verified respondents only: two links, so the filter works without JavaScript. */
export function VerifiedFilter({
  verifiedOnly,
  hrefFor,
}: {
  verifiedOnly: boolean;
  hrefFor: (verifiedOnly: boolean) => string;
}) {
  return (
    <nav className="results-filter" aria-label="Whose answers to count">
      <p>
        <strong>Counting:</strong>
      </p>
      <ul className="sort-links">
        <li>
          <Link to={hrefFor(false)} aria-current={verifiedOnly ? undefined : 'page'}>
            Everyone who responded
          </Link>
        </li>
        <li>
          <Link to={hrefFor(true)} aria-current={verifiedOnly ? 'page' : undefined}>
            Verified respondents only
          </Link>
        </li>
      </ul>
    </nav>
  );
}

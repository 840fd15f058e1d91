import { Link } from '@remix-run/react';
import { recommendationAnchor } from './summary-view';

/**
 * On the live results of a consultation whose summary is published: where to read it, and why
 * its figures may differ from these (they were frozen when it was published).
 */
export function SummaryPublishedNotice({
  slug,
  recommendationNumber,
}: {
  slug: string;
  recommendationNumber?: number;
}) {
  const anchor = recommendationNumber ? `#${recommendationAnchor(recommendationNumber)}` : '';
  return (
    <div className="notice notice--success" role="note">
      <p>
        <strong>The organisers have published their summary</strong> of what they heard and what
        they will do.{' '}
        <Link to={`/consultations/${slug}/summary${anchor}`}>
          {recommendationNumber
            ? `Read the summary of recommendation ${recommendationNumber}`
            : 'Read the summary'}
        </Link>
        . These are the live results; the summary’s figures were frozen when it was published.
      </p>
    </div>
  );
}

import { formatCount } from '~/lib/results/format';
import { evidenceId, quoteId } from '~/lib/summary-citations';
import type { Resolved, ResolvedQuote } from '~/lib/summary-snapshot';

const SOURCE: Record<ResolvedQuote['source'], string> = {
  reasons: 'from the reasons given in a response',
  comment: 'from a public comment',
};

function QuoteBody({ quote }: { quote: ResolvedQuote }) {
  return (
    <>
      <blockquote>
        <p>{quote.text}</p>
      </blockquote>
      <p className="summary-quote__who">
        {quote.attribution}
        {quote.stanceLabel ? ` · said “${quote.stanceLabel}”` : ''} · {SOURCE[quote.source]}
      </p>
    </>
  );
}

/** The evidence "you said" cites, numbered as its markers are, each at its own anchor. */
export function EvidenceList({
  items,
  recommendationNumber,
}: {
  items: Resolved[];
  recommendationNumber: number;
}) {
  if (items.length === 0) return null;
  return (
    <ol className="evidence">
      {items.map((item, i) => (
        <li key={item.key} id={evidenceId(recommendationNumber, i + 1)} tabIndex={-1}>
          <span className="evidence__number" aria-hidden="true">
            [{i + 1}]
          </span>
          <div>
            {item.kind === 'figure' ? (
              <p className="evidence__figure">
                {item.label}: <strong>{item.text}</strong>{' '}
                <span className="muted">(n = {formatCount(item.n)})</span>
              </p>
            ) : (
              <QuoteBody quote={item} />
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** The quotes the organisers chose for a recommendation. */
export function ChosenQuotes({
  quotes,
  recommendationNumber,
}: {
  quotes: Resolved[];
  recommendationNumber: number;
}) {
  const chosen = quotes.filter((q): q is ResolvedQuote => q.kind === 'quote');
  return (
    <ul className="summary-quotes">
      {chosen.map((quote, i) => (
        <li key={quote.key} id={quoteId(recommendationNumber, i + 1)} className="summary-quote">
          <QuoteBody quote={quote} />
        </li>
      ))}
    </ul>
  );
}

import { Link } from '@remix-run/react';
import { formatCount, formatDecimal, formatNet, formatNetInterval } from '~/lib/results/format';
import type { OverviewRow } from '~/lib/results/view';
import { type OverviewQuery } from '~/lib/schemas/results';
import { defaultDirection, RESULT_SORT_LABELS, type ResultSort } from '~/lib/forms/results';
import { NetSupportChart } from '~/ui/charts/net-support-chart';
import { ScrollRegion } from '~/ui/scroll-region';

/** The query string for a sort, keeping the verified filter. */
export function overviewSearch(query: OverviewQuery, changes: Partial<OverviewQuery> = {}) {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  if (next.sort !== 'number') params.set('sort', next.sort);
  if (next.dir !== defaultDirection(next.sort)) params.set('dir', next.dir);
  if (next.verifiedOnly) params.set('verified', '1');
  const text = params.toString();
  return text ? `?${text}` : '?';
}

function SortHeading({
  sort,
  query,
  numeric,
  label = RESULT_SORT_LABELS[sort],
}: {
  sort: ResultSort;
  query: OverviewQuery;
  numeric?: boolean;
  label?: string;
}) {
  const active = query.sort === sort;
  // A second click on the active column turns its order round.
  const dir = active ? (query.dir === 'asc' ? 'desc' : 'asc') : defaultDirection(sort);
  const ariaSort = active ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th scope="col" aria-sort={ariaSort} className={numeric ? 'numeric' : undefined}>
      <Link to={overviewSearch(query, { sort, dir })} preventScrollReset className="sort-heading">
        {label}
        <span className="visually-hidden">
          {active
            ? ` (sorted ${query.dir === 'asc' ? 'lowest' : 'highest'} first; select to reverse)`
            : ' (select to sort)'}
        </span>
        <span className="sort-heading__arrow" aria-hidden="true">
          {active ? (query.dir === 'asc' ? '▲' : '▼') : ''}
        </span>
      </Link>
    </th>
  );
}

/** The net support chart and the sortable table of every recommendation. */
export function ResultsOverview({
  rows,
  query,
  recommendationHref,
}: {
  rows: OverviewRow[];
  query: OverviewQuery;
  recommendationHref: (slug: string) => string;
}) {
  return (
    <>
      <NetSupportChart
        title={`Net support for each recommendation${query.verifiedOnly ? ' (verified respondents only)' : ''}`}
        rows={rows.map((row) => ({
          key: row.slug,
          label: `${row.number}. ${row.title}`,
          net: row.net,
          missing: row.netMissing ?? undefined,
        }))}
      />
      <h2 id="all-recommendations">All recommendations</h2>
      <p>
        Select a column heading to sort by it; select it again to reverse the order. Sorted by{' '}
        {RESULT_SORT_LABELS[query.sort].toLowerCase()},{' '}
        {query.dir === 'asc' ? 'lowest first' : 'highest first'}. Net support is shown with its 95%
        interval; importance (1 to 5) with its standard deviation.
      </p>
      <ScrollRegion label="Results of every recommendation (table)">
        <table className="table table--data results-overview">
          <caption className="visually-hidden">
            Results of every recommendation, sorted by{' '}
            {RESULT_SORT_LABELS[query.sort].toLowerCase()}
          </caption>
          <thead>
            <tr>
              <SortHeading sort="number" query={query} label="Recommendation" />
              <SortHeading sort="net-support" query={query} numeric />
              <SortHeading sort="importance" query={query} numeric />
              <SortHeading sort="endorsements" query={query} numeric />
              <SortHeading sort="answers" query={query} numeric />
              <th scope="col" className="results-overview__consensus">
                Founders and investors
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.slug}>
                <th scope="row">
                  <Link to={recommendationHref(row.slug)}>
                    {row.number}. {row.title}
                  </Link>
                </th>
                {row.net ? (
                  <td className="numeric">
                    <strong>{formatNet(row.net.value)}</strong>{' '}
                    <span className="chart__share">({formatNetInterval(row.net)})</span>
                  </td>
                ) : (
                  <td>{row.netMissing}</td>
                )}
                <td className="numeric">
                  {row.importance ? (
                    <>
                      {formatDecimal(row.importance.mean)}
                      {row.importance.sd !== null ? (
                        <>
                          {' '}
                          <span className="chart__share">
                            (sd {formatDecimal(row.importance.sd)})
                          </span>
                        </>
                      ) : null}
                    </>
                  ) : (
                    '–'
                  )}
                </td>
                <td className="numeric">{formatCount(row.endorsements)}</td>
                <td className="numeric">
                  {row.answers === null ? 'Fewer than 5' : formatCount(row.answers)}
                </td>
                <td>
                  <strong>{row.consensus.label}</strong>
                  {row.consensus.kind === 'too_few' ? null : (
                    <span className="consensus__detail">{row.consensus.comparison}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

import {
  formatCount,
  formatDecimal,
  formatNet,
  formatNetInterval,
  formatShare,
} from '~/lib/results/format';
import type { Estimate, GroupResult } from '~/lib/results/view';
import type { ResultBlock } from '~/lib/summary-snapshot';
import { ScrollRegion } from '~/ui/scroll-region';

/** The results pages list every theme; a summary names the few most particular ones. */
const THEMES_SHOWN = 5;

function share(estimate: Estimate | null) {
  if (!estimate) return '–';
  return `${formatShare(estimate.value)} (${formatShare(estimate.low)} to ${formatShare(estimate.high)})`;
}

function GroupRow({ group, threshold }: { group: GroupResult; threshold: number }) {
  if (group.hidden) {
    return (
      <tr>
        <th scope="row">{group.label}</th>
        <td colSpan={5}>Fewer than {threshold} answers: not shown, to protect identities</td>
      </tr>
    );
  }
  return (
    <tr>
      <th scope="row">{group.label}</th>
      <td className="numeric">{group.answers === null ? '–' : formatCount(group.answers)}</td>
      <td className="numeric">
        {group.net ? (
          <>
            <strong>{formatNet(group.net.value)}</strong>
            <span className="summary-results__interval">{formatNetInterval(group.net)}</span>
          </>
        ) : (
          'No answers with a view'
        )}
      </td>
      <td className="numeric">{share(group.support)}</td>
      <td className="numeric">{share(group.oppose)}</td>
      <td className="numeric">{group.importance ? formatDecimal(group.importance.mean) : '–'}</td>
    </tr>
  );
}

/** A recommendation's results as a version of the summary froze them. */
export function SummaryResultBlock({
  block,
  title,
  threshold,
}: {
  block: ResultBlock;
  title: string;
  threshold: number;
}) {
  const themes = block.themes.slice(0, THEMES_SHOWN);
  return (
    <div className="summary-results">
      <ScrollRegion label={`Results by group: ${title} (table)`} className="results-table">
        <table className="table table--data">
          <caption>Results by group</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col" className="numeric">
                Answers
              </th>
              <th scope="col" className="numeric">
                Net support (95% interval)
              </th>
              <th scope="col" className="numeric">
                Support
              </th>
              <th scope="col" className="numeric">
                Oppose
              </th>
              <th scope="col" className="numeric">
                Importance (1 to 5)
              </th>
            </tr>
          </thead>
          <tbody>
            {block.groups.map((g) => (
              <GroupRow key={g.group} group={g} threshold={threshold} />
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <div className="consensus" role="note" aria-label={`Founders and investors: ${title}`}>
        <p>{block.consensus}</p>
      </div>
      <p>
        {block.endorsements === 0 ? (
          'No one had endorsed this recommendation publicly.'
        ) : (
          <>
            <strong>{formatCount(block.endorsements)}</strong>{' '}
            {block.endorsements === 1 ? 'person' : 'people'} had endorsed this recommendation
            publicly.
          </>
        )}
      </p>
      {themes.length ? (
        <>
          <p className="summary-results__themes-heading">
            The {themes.length === 1 ? 'main theme' : `${themes.length} main themes`} in the reasons
            given:
          </p>
          <ul className="summary-themes">
            {themes.map((theme) => (
              <li key={theme.phrase}>
                “{theme.phrase}”{' '}
                <span className="muted">
                  in {formatCount(theme.count)} reason{theme.count === 1 ? '' : 's'}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

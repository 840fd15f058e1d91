import { formatCount, formatShare, STANCE_SHORT_LABELS } from '~/lib/results/format';
import { answered, type StanceCounts } from '~/lib/results/statistics';
import { ChartFigure, useChartId } from './figure';
import { FillDefs, Legend } from './fills';
import { ChartNote, RowLabel, StackedBar } from './rows';
import { STANCES } from '~/lib/enums';

export type StanceRow = {
  key: string;
  label: string;
  /** Null when the group is too small to show publicly. */
  counts: StanceCounts | null;
};

const WIDTH = 720;
const LABEL = 150;
const BAR = 480;
const ROW = 40;
const TOP = 26;

/** Share of each stance, one 100% stacked bar per group of respondents. */
export function StanceChart({
  title,
  rows,
  hiddenNote = 'Fewer than 5 responses: not shown, to protect identities',
}: {
  title: string;
  rows: readonly StanceRow[];
  hiddenNote?: string;
}) {
  const id = useChartId();
  const height = TOP + rows.length * ROW + 6;
  const description = rows
    .map((row) => {
      if (!row.counts) return `${row.label}: not shown (too few responses).`;
      const n = answered(row.counts);
      if (n === 0) return `${row.label}: no answers.`;
      const parts = STANCES.filter((s) => row.counts![s] > 0).map(
        (s) => `${formatShare(row.counts![s] / n)} ${STANCE_SHORT_LABELS[s].toLowerCase()}`,
      );
      return `${row.label} (${formatCount(n)} answers): ${parts.join(', ')}.`;
    })
    .join(' ');
  return (
    <ChartFigure
      id={id}
      title={title}
      description={description}
      width={WIDTH}
      height={height}
      svg={
        <>
          <FillDefs prefix={id} keys={STANCES} />
          {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
            <g key={tick}>
              <line
                x1={LABEL + tick * BAR}
                x2={LABEL + tick * BAR}
                y1={TOP - 6}
                y2={height - 4}
                stroke="#b1b4b6"
                strokeDasharray={tick === 0 || tick === 1 ? undefined : '3 3'}
              />
              <text x={LABEL + tick * BAR} y={12} textAnchor="middle" fontSize="12" fill="#505a5f">
                {formatShare(tick)}
              </text>
            </g>
          ))}
          {rows.map((row, index) => {
            const y = TOP + index * ROW;
            const mid = y + (ROW - 10) / 2;
            const counts = row.counts;
            const n = counts ? answered(counts) : 0;
            return (
              <g key={row.key}>
                <RowLabel y={mid}>{row.label}</RowLabel>
                {!counts || n === 0 ? (
                  <ChartNote x={LABEL + 8} y={mid}>
                    {counts ? 'No answers' : hiddenNote}
                  </ChartNote>
                ) : (
                  <>
                    <StackedBar
                      chartId={id}
                      x={LABEL}
                      y={y}
                      width={BAR}
                      height={ROW - 10}
                      total={n}
                      segments={STANCES.map((s) => ({ key: s, fill: s, count: counts[s] }))}
                    />
                    <ChartNote x={LABEL + BAR + 8} y={mid} small>
                      n = {formatCount(n)}
                    </ChartNote>
                  </>
                )}
              </g>
            );
          })}
        </>
      }
      legend={
        <Legend
          prefix={id}
          items={STANCES.map((s) => ({ key: s, label: STANCE_SHORT_LABELS[s] }))}
        />
      }
      table={
        <table className="table table--data">
          <caption className="visually-hidden">{title}: numbers of answers</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              {STANCES.map((s) => (
                <th scope="col" key={s} className="numeric">
                  {STANCE_SHORT_LABELS[s]}
                </th>
              ))}
              <th scope="col" className="numeric">
                Answers
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const n = row.counts ? answered(row.counts) : 0;
              return (
                <tr key={row.key}>
                  <th scope="row">{row.label}</th>
                  {row.counts ? (
                    <>
                      {STANCES.map((s) => (
                        <td key={s} className="numeric">
                          {formatCount(row.counts![s])}
                          {n > 0 ? (
                            <>
                              {' '}
                              <span className="chart__share">
                                ({formatShare(row.counts![s] / n)})
                              </span>
                            </>
                          ) : null}
                        </td>
                      ))}
                      <td className="numeric">{formatCount(n)}</td>
                    </>
                  ) : (
                    <td colSpan={STANCES.length + 1}>{hiddenNote}</td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      }
    />
  );
}

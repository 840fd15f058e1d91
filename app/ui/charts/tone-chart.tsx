import { formatCount, formatDecimal, formatShare, toneWords } from '~/lib/results/format';
import { ChartFigure, useChartId } from './figure';
import { FillDefs, Legend, type FillKey } from './fills';
import { ChartNote, RowLabel, StackedBar } from './rows';

export type ToneSummary = {
  n: number;
  negative: number;
  neutral: number;
  positive: number;
  /** From −1 to +1. */
  mean: number;
};

export type ToneRow = {
  key: string;
  label: string;
  /** Null when the group is too small to show publicly. */
  tone: ToneSummary | null;
};

const BUCKETS = [
  { key: 'positive', fill: 'tone_positive', label: 'Positive' },
  { key: 'neutral', fill: 'tone_neutral', label: 'Neutral' },
  { key: 'negative', fill: 'tone_negative', label: 'Negative' },
] as const satisfies readonly { key: keyof ToneSummary; fill: FillKey; label: string }[];

const WIDTH = 720;
const LABEL = 150;
const BAR = 440;
const ROW = 40;
const TOP = 8;

/** How the written reasons read: the share of positive, neutral and negative texts per group. */
export function ToneChart({
  title,
  rows,
  hiddenNote = 'Fewer than 5 responses: not shown, to protect identities',
}: {
  title: string;
  rows: readonly ToneRow[];
  hiddenNote?: string;
}) {
  const id = useChartId();
  const height = TOP + rows.length * ROW;
  const description = rows
    .map((row) => {
      if (!row.tone) return `${row.label}: not shown (too few responses).`;
      if (row.tone.n === 0) return `${row.label}: no written reasons.`;
      const t = row.tone;
      return `${row.label} (${formatCount(t.n)} texts): ${formatShare(t.positive / t.n)} positive, ${formatShare(t.neutral / t.n)} neutral, ${formatShare(t.negative / t.n)} negative; on average ${toneWords(t.mean)}.`;
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
          <FillDefs prefix={id} keys={BUCKETS.map((b) => b.fill)} />
          {rows.map((row, index) => {
            const y = TOP + index * ROW;
            const mid = y + (ROW - 10) / 2;
            const t = row.tone;
            return (
              <g key={row.key}>
                <RowLabel y={mid}>{row.label}</RowLabel>
                {!t || t.n === 0 ? (
                  <ChartNote x={LABEL + 8} y={mid}>
                    {t ? 'No written reasons' : hiddenNote}
                  </ChartNote>
                ) : (
                  <>
                    <StackedBar
                      chartId={id}
                      x={LABEL}
                      y={y}
                      width={BAR}
                      height={ROW - 10}
                      total={t.n}
                      segments={BUCKETS.map((b) => ({ key: b.key, fill: b.fill, count: t[b.key] }))}
                    />
                    <ChartNote x={LABEL + BAR + 8} y={mid} small>
                      mean {formatDecimal(t.mean, 2)}, n = {formatCount(t.n)}
                    </ChartNote>
                  </>
                )}
              </g>
            );
          })}
        </>
      }
      legend={<Legend prefix={id} items={BUCKETS.map((b) => ({ key: b.fill, label: b.label }))} />}
      table={
        <table className="table table--data">
          <caption className="visually-hidden">{title}: numbers of texts</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              {BUCKETS.map((b) => (
                <th scope="col" key={b.key} className="numeric">
                  {b.label}
                </th>
              ))}
              <th scope="col" className="numeric">
                Mean tone (−1 to +1)
              </th>
              <th scope="col" className="numeric">
                Texts
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const t = row.tone;
              return (
                <tr key={row.key}>
                  <th scope="row">{row.label}</th>
                  {t && t.n > 0 ? (
                    <>
                      {BUCKETS.map((b) => (
                        <td key={b.key} className="numeric">
                          {formatCount(t[b.key])}
                          <span className="muted"> ({formatShare(t[b.key] / t.n)})</span>
                        </td>
                      ))}
                      <td className="numeric">
                        {formatDecimal(t.mean, 2)}{' '}
                        <span className="muted">({toneWords(t.mean)})</span>
                      </td>
                      <td className="numeric">{formatCount(t.n)}</td>
                    </>
                  ) : (
                    <td colSpan={BUCKETS.length + 2}>{t ? 'No written reasons' : hiddenNote}</td>
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

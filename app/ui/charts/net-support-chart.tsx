import { formatCount, formatNet, formatNetInterval } from '~/lib/results/format';
import type { Estimate } from '~/lib/results/statistics';
import { ChartNote, RowLabel } from './rows';
import { ChartFigure, useChartId } from './figure';

export type NetSupportRow = {
  key: string;
  label: string;
  /** Null when there is nothing to show: no answers with a view, or too few to show. */
  net: Estimate | null;
  /** Why `net` is null, in words. */
  missing?: string;
};

// Each row's label sits on its own line above its interval, so long titles need no truncating.
const WIDTH = 720;
const LABEL = 22;
const PLOT = 566;
const ROW = 54;
const TOP = 24;

function xOf(value: number) {
  return LABEL + ((value + 1) / 2) * PLOT;
}

// The phone drawing: label, interval and figures stacked in each row of a 360-wide canvas, so
// the whole −100 to +100 scale fits a 390 px screen at a readable size.
const NARROW_WIDTH = 360;
const NARROW_SIDE = 14;
const NARROW_PLOT = NARROW_WIDTH - 2 * NARROW_SIDE;
const NARROW_ROW = 76;

function narrowX(value: number) {
  return NARROW_SIDE + ((value + 1) / 2) * NARROW_PLOT;
}

function Interval({ net, y, x }: { net: Estimate; y: number; x: (value: number) => number }) {
  return (
    <>
      <line x1={x(net.low)} x2={x(net.high)} y1={y} y2={y} stroke="#1d5d99" strokeWidth="3" />
      <line
        x1={x(net.low)}
        x2={x(net.low)}
        y1={y - 7}
        y2={y + 7}
        stroke="#1d5d99"
        strokeWidth="2"
      />
      <line
        x1={x(net.high)}
        x2={x(net.high)}
        y1={y - 7}
        y2={y + 7}
        stroke="#1d5d99"
        strokeWidth="2"
      />
      <rect
        x={x(net.value) - 6}
        y={y - 6}
        width="12"
        height="12"
        transform={`rotate(45 ${x(net.value)} ${y})`}
        fill="#0b0c0c"
        stroke="#ffffff"
        strokeWidth="1.5"
      />
    </>
  );
}

/**
 * The direction labels and the −100…+100 gridlines under both drawings. On the narrow canvas
 * the end figures are anchored inwards so they stay inside it.
 */
function NetAxis({
  x,
  height,
  anchorEnds = false,
}: {
  x: (value: number) => number;
  height: number;
  anchorEnds?: boolean;
}) {
  return (
    <>
      <text x={x(-1)} y={12} fontSize="12" fill="#505a5f">
        ← More oppose
      </text>
      <text x={x(1)} y={12} textAnchor="end" fontSize="12" fill="#505a5f">
        More support →
      </text>
      {[-1, -0.5, 0, 0.5, 1].map((tick) => (
        <g key={tick}>
          <line
            x1={x(tick)}
            x2={x(tick)}
            y1={TOP - 8}
            y2={height - 20}
            stroke={tick === 0 ? '#0b0c0c' : '#b1b4b6'}
            strokeWidth={tick === 0 ? 1.5 : 1}
            strokeDasharray={tick === 0 ? undefined : '3 3'}
          />
          <text
            x={x(tick)}
            y={height - 4}
            textAnchor={
              anchorEnds && tick === -1 ? 'start' : anchorEnds && tick === 1 ? 'end' : 'middle'
            }
            fontSize="12"
            fill="#505a5f"
          >
            {formatNet(tick)}
          </text>
        </g>
      ))}
    </>
  );
}

function NarrowDrawing({ rows, height }: { rows: readonly NetSupportRow[]; height: number }) {
  return (
    <>
      <NetAxis x={narrowX} height={height} anchorEnds />
      {rows.map((row, index) => {
        const top = TOP + index * NARROW_ROW;
        return (
          <g key={row.key}>
            <RowLabel y={top + 12} halo>
              {truncate(row.label, 42)}
            </RowLabel>
            {row.net ? (
              <>
                <Interval net={row.net} y={top + 36} x={narrowX} />
                <text
                  x={0}
                  y={top + 58}
                  dominantBaseline="central"
                  fontSize="13"
                  fill="#0b0c0c"
                  stroke="#ffffff"
                  strokeWidth="4"
                  paintOrder="stroke"
                >
                  <tspan fontWeight="700">{formatNet(row.net.value)}</tspan>
                  <tspan fill="#505a5f"> · n = {formatCount(row.net.n)}</tspan>
                </text>
              </>
            ) : (
              <text
                x={0}
                y={top + 36}
                dominantBaseline="central"
                fontSize="13"
                fill="#505a5f"
                stroke="#ffffff"
                strokeWidth="4"
                paintOrder="stroke"
              >
                {row.missing ?? 'No answers with a view'}
              </text>
            )}
          </g>
        );
      })}
    </>
  );
}

function truncate(label: string, max = 92) {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** Net support of each row as a point with its 95% interval, on one −100 to +100 scale. */
export function NetSupportChart({
  title,
  rows,
  rowHeading = 'Recommendation',
}: {
  title: string;
  rows: readonly NetSupportRow[];
  rowHeading?: string;
}) {
  const id = useChartId();
  const height = TOP + rows.length * ROW + 24;
  const narrowHeight = TOP + rows.length * NARROW_ROW + 24;
  const description = `Net support is the share supporting minus the share opposing, among those with a view, from −100 to +100, with its 95% confidence interval. ${rows
    .map((row) =>
      row.net
        ? `${row.label}: ${formatNet(row.net.value)} (95% interval ${formatNetInterval(row.net)}, ${formatCount(row.net.n)} with a view).`
        : `${row.label}: ${row.missing ?? 'no answers with a view'}.`,
    )
    .join(' ')}`;
  return (
    <ChartFigure
      id={id}
      title={title}
      description={description}
      width={WIDTH}
      height={height}
      narrow={{
        width: NARROW_WIDTH,
        height: narrowHeight,
        svg: <NarrowDrawing rows={rows} height={narrowHeight} />,
      }}
      svg={
        <>
          <NetAxis x={xOf} height={height} />
          {rows.map((row, index) => {
            const y = TOP + index * ROW + 34;
            return (
              <g key={row.key}>
                <RowLabel y={y - 20} halo>
                  {truncate(row.label)}
                </RowLabel>
                {row.net ? (
                  <>
                    <Interval net={row.net} y={y} x={xOf} />
                    <text
                      x={LABEL + PLOT + 12}
                      y={y}
                      dominantBaseline="central"
                      fontSize="14"
                      fontWeight="700"
                      fill="#0b0c0c"
                    >
                      {formatNet(row.net.value)}
                    </text>
                    <ChartNote x={LABEL + PLOT + 52} y={y} small>
                      n = {formatCount(row.net.n)}
                    </ChartNote>
                  </>
                ) : (
                  <ChartNote x={xOf(-1) + 6} y={y}>
                    {row.missing ?? 'No answers with a view'}
                  </ChartNote>
                )}
              </g>
            );
          })}
        </>
      }
      table={
        <table className="table table--data">
          <caption className="visually-hidden">{title}: figures</caption>
          <thead>
            <tr>
              <th scope="col">{rowHeading}</th>
              <th scope="col" className="numeric">
                Net support
              </th>
              <th scope="col" className="numeric">
                95% interval
              </th>
              <th scope="col" className="numeric">
                With a view
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {row.net ? (
                  <>
                    <td className="numeric">{formatNet(row.net.value)}</td>
                    <td className="numeric">{formatNetInterval(row.net)}</td>
                    <td className="numeric">{formatCount(row.net.n)}</td>
                  </>
                ) : (
                  <td colSpan={3}>{row.missing ?? 'No answers with a view'}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

import type { ReactNode } from 'react';
import { formatShare } from '~/lib/results/format';
import { HaloText } from './figure';
import { fillId, isDarkFill, type FillKey } from './fills';

// The parts the row charts share (stances, tone, net support): one row per group, its label,
// then its bar or interval, or a note saying why there is none.

/** Segments narrower than this share carry no label: the table gives their figure. */
const LABELLED_SHARE = 0.07;

/** A row's name at the left. `halo` keeps it legible where a plotted interval runs under it. */
export function RowLabel({
  y,
  halo = false,
  children,
}: {
  y: number;
  halo?: boolean;
  children: ReactNode;
}) {
  return (
    <text
      x={0}
      y={y}
      dominantBaseline="central"
      fontSize="14"
      fill="#0b0c0c"
      {...(halo
        ? { fontWeight: 700, stroke: '#ffffff', strokeWidth: 4, paintOrder: 'stroke' }
        : {})}
    >
      {children}
    </text>
  );
}

/** Grey text in the plot: a row's note ("No answers") or the figure after its bar. */
export function ChartNote({
  x,
  y,
  small = false,
  children,
}: {
  x: number;
  y: number;
  small?: boolean;
  children: ReactNode;
}) {
  return (
    <text x={x} y={y} dominantBaseline="central" fontSize={small ? '12' : '13'} fill="#505a5f">
      {children}
    </text>
  );
}

/** One bar, `segments` laid left to right in proportion to their counts out of `total`. */
export function StackedBar({
  chartId,
  x,
  y,
  width,
  height,
  total,
  segments,
}: {
  chartId: string;
  x: number;
  y: number;
  width: number;
  height: number;
  total: number;
  segments: readonly { key: string; fill: FillKey; count: number }[];
}) {
  let start = x;
  return (
    <>
      {segments.map((segment) => {
        const share = segment.count / total;
        const w = share * width;
        const left = start;
        start += w;
        if (w <= 0) return null;
        return (
          <g key={segment.key}>
            <rect
              x={left}
              y={y}
              width={w}
              height={height}
              fill={`url(#${fillId(chartId, segment.fill)})`}
              stroke="#0b0c0c"
              strokeWidth="0.75"
            />
            {share >= LABELLED_SHARE ? (
              <HaloText x={left + w / 2} y={y + height / 2} light={isDarkFill(segment.fill)}>
                {formatShare(share)}
              </HaloText>
            ) : null}
          </g>
        );
      })}
    </>
  );
}

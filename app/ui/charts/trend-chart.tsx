import {
  formatCount,
  formatDay,
  formatNet,
  formatNetInterval,
  formatShortDay,
} from '~/lib/results/format';
import type { TrendPoint } from '~/lib/results/trend';
import { ChartFigure, useChartId } from './figure';

const WIDTH = 720;
const LEFT = 48;
const RIGHT = 16;
const PLOT_W = WIDTH - LEFT - RIGHT;
const NET_TOP = 10;
const NET_H = 190;
const GAP = 34;
const BARS_H = 70;
const HEIGHT = NET_TOP + NET_H + GAP + BARS_H + 22;

const DAY_MS = 86_400_000;
function dayNumber(day: string) {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

function niceRange(points: readonly TrendPoint[]) {
  const lows = points.flatMap((p) => (p.net ? [p.net.low] : []));
  const highs = points.flatMap((p) => (p.net ? [p.net.high] : []));
  let min = Math.max(-1, Math.floor(Math.min(0, ...lows) * 4) / 4);
  let max = Math.min(1, Math.ceil(Math.max(0, ...highs) * 4) / 4);
  if (max - min < 0.5) {
    if (max < 1) max = Math.min(1, min + 0.5);
    else min = max - 0.5;
  }
  const step = max - min > 1 ? 0.5 : 0.25;
  const ticks: number[] = [];
  for (let t = min; t <= max + 1e-9; t += step) ticks.push(Math.round(t * 100) / 100);
  return { min, max, ticks };
}

/**
 * Net support as it stood at the end of each day (with its 95% band), above the number of answers
 * each point added.
 */
export function TrendChart({ title, points }: { title: string; points: readonly TrendPoint[] }) {
  const id = useChartId();
  const first = points.length ? dayNumber(points[0]!.day) - 1 : 0;
  const last = points.length ? dayNumber(points[points.length - 1]!.day) : 1;
  const span = Math.max(1, last - first);
  const xOf = (day: string) => LEFT + ((dayNumber(day) - first) / span) * PLOT_W;
  const { min, max, ticks } = niceRange(points);
  const yOf = (value: number) => NET_TOP + ((max - value) / (max - min)) * NET_H;
  const withNet = points.filter((p) => p.net);
  const maxAdded = Math.max(1, ...points.map((p) => p.added));
  const barsTop = NET_TOP + NET_H + GAP;
  const band = withNet.length
    ? [
        ...withNet.map((p) => `${xOf(p.day)},${yOf(p.net!.high)}`),
        ...[...withNet].reverse().map((p) => `${xOf(p.day)},${yOf(p.net!.low)}`),
      ].join(' ')
    : '';
  const lastPoint = withNet[withNet.length - 1];
  const firstPoint = withNet[0];
  const description =
    firstPoint && lastPoint
      ? `From ${formatDay(firstPoint.day)} to ${formatDay(lastPoint.day)}, net support moved from ${formatNet(firstPoint.net!.value)} (after ${formatCount(firstPoint.answers)} answers) to ${formatNet(lastPoint.net!.value)} (after ${formatCount(lastPoint.answers)} answers; 95% interval ${formatNetInterval(lastPoint.net!)}). The lower panel shows how many answers arrived in each period.`
      : 'No answers with a view yet.';
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <ChartFigure
      id={id}
      title={title}
      description={description}
      width={WIDTH}
      height={HEIGHT}
      tallTable={points.length > 10}
      svg={
        <>
          {ticks.map((tick) => (
            <g key={tick}>
              <line
                x1={LEFT}
                x2={WIDTH - RIGHT}
                y1={yOf(tick)}
                y2={yOf(tick)}
                stroke={tick === 0 ? '#0b0c0c' : '#b1b4b6'}
                strokeWidth={tick === 0 ? 1.5 : 1}
                strokeDasharray={tick === 0 ? undefined : '3 3'}
              />
              <text
                x={LEFT - 6}
                y={yOf(tick)}
                textAnchor="end"
                dominantBaseline="central"
                fontSize="12"
                fill="#505a5f"
              >
                {formatNet(tick)}
              </text>
            </g>
          ))}
          {band ? <polygon points={band} fill="#a9cbeb" fillOpacity="0.6" stroke="none" /> : null}
          {withNet.length > 1 ? (
            <polyline
              points={withNet.map((p) => `${xOf(p.day)},${yOf(p.net!.value)}`).join(' ')}
              fill="none"
              stroke="#1d5d99"
              strokeWidth="2.5"
            />
          ) : null}
          {withNet.map((p) => (
            <circle
              key={p.day}
              cx={xOf(p.day)}
              cy={yOf(p.net!.value)}
              r="3.5"
              fill="#0b0c0c"
              stroke="#ffffff"
              strokeWidth="1"
            />
          ))}
          <text x={LEFT} y={barsTop - 10} fontSize="12" fill="#505a5f">
            Answers received (tallest bar: {formatCount(maxAdded)})
          </text>
          {points.map((p, index) => {
            const previous = index === 0 ? null : points[index - 1]!;
            const x0 = previous ? xOf(previous.day) : LEFT;
            const x1 = xOf(p.day);
            const h = (p.added / maxAdded) * BARS_H;
            return (
              <rect
                key={p.day}
                x={x0 + 1}
                y={barsTop + BARS_H - h}
                width={Math.max(1, x1 - x0 - 2)}
                height={h}
                fill="#505a5f"
              />
            );
          })}
          <line
            x1={LEFT}
            x2={WIDTH - RIGHT}
            y1={barsTop + BARS_H}
            y2={barsTop + BARS_H}
            stroke="#0b0c0c"
          />
          {points.map((p, index) =>
            index % labelEvery === 0 || index === points.length - 1 ? (
              <text
                key={p.day}
                x={xOf(p.day)}
                y={barsTop + BARS_H + 16}
                textAnchor={index === points.length - 1 ? 'end' : index === 0 ? 'start' : 'middle'}
                fontSize="12"
                fill="#505a5f"
              >
                {formatShortDay(p.day)}
              </text>
            ) : null,
          )}
        </>
      }
      table={
        <table className="table table--data">
          <caption className="visually-hidden">{title}: figures by date</caption>
          <thead>
            <tr>
              <th scope="col">Up to</th>
              <th scope="col" className="numeric">
                Answers added
              </th>
              <th scope="col" className="numeric">
                Answers so far
              </th>
              <th scope="col" className="numeric">
                Net support
              </th>
              <th scope="col" className="numeric">
                95% interval
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.day}>
                <th scope="row">{formatDay(p.day)}</th>
                <td className="numeric">{formatCount(p.added)}</td>
                <td className="numeric">{formatCount(p.answers)}</td>
                <td className="numeric">{p.net ? formatNet(p.net.value) : '–'}</td>
                <td className="numeric">
                  {p.net ? formatNetInterval(p.net) : 'No view given yet'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

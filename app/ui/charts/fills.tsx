import { type Stance } from '~/lib/enums';

// Why server-rendered SVG and no client chart library: the charts must read without JavaScript,
// print on paper exactly as on screen, carry a <title> and text alternative that screen readers
// announce, and cost the browser nothing. A results page is a few dozen rectangles; React renders
// them on the server like any other markup, and the data table beside each chart holds the numbers.
//
// Colour is never the only cue: each stance and tone has its own pattern (solid, stripes one way or
// the other, dots, cross-hatch), sits in a fixed order, is named in the legend and the table, and
// carries its percentage as text where the bar is wide enough. The blue–orange pair stays apart
// for the common forms of colour blindness, where green–red would not.

export type FillKey = Stance | 'tone_positive' | 'tone_neutral' | 'tone_negative';

type FillSpec = {
  background: string;
  /** Stripes or dots drawn over the background. */
  mark?: { kind: 'stripes' | 'back-stripes' | 'dots' | 'cross'; colour: string };
};

export const FILLS: Record<FillKey, FillSpec> = {
  strongly_support: { background: '#1d5d99' },
  support: { background: '#a9cbeb', mark: { kind: 'stripes', colour: '#1d5d99' } },
  neutral: { background: '#e4e5e6', mark: { kind: 'dots', colour: '#505a5f' } },
  oppose: { background: '#f9cfae', mark: { kind: 'back-stripes', colour: '#a63f00' } },
  strongly_oppose: { background: '#a63f00' },
  no_view: { background: '#ffffff', mark: { kind: 'cross', colour: '#8c9296' } },
  tone_positive: { background: '#1d5d99' },
  tone_neutral: { background: '#e4e5e6', mark: { kind: 'dots', colour: '#505a5f' } },
  tone_negative: { background: '#f9cfae', mark: { kind: 'back-stripes', colour: '#a63f00' } },
};

/** Whether text drawn on this fill should be light (solid dark fills) or dark. */
export function isDarkFill(key: FillKey) {
  return !FILLS[key].mark && key !== 'no_view';
}

export function fillId(prefix: string, key: FillKey) {
  return `${prefix}-fill-${key}`;
}

function Mark({ spec }: { spec: NonNullable<FillSpec['mark']> }) {
  switch (spec.kind) {
    case 'stripes':
      return <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke={spec.colour} strokeWidth="1.6" />;
    case 'back-stripes':
      return <path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke={spec.colour} strokeWidth="1.6" />;
    case 'dots':
      return (
        <>
          <circle cx="2" cy="2" r="1.1" fill={spec.colour} />
          <circle cx="6" cy="6" r="1.1" fill={spec.colour} />
        </>
      );
    case 'cross':
      return <path d="M0,0 l8,8 M8,0 l-8,8" stroke={spec.colour} strokeWidth="0.8" />;
  }
}

/** The patterns one chart uses, with ids unique to that chart. */
export function FillDefs({ prefix, keys }: { prefix: string; keys: readonly FillKey[] }) {
  return (
    <defs>
      {keys.map((key) => {
        const spec = FILLS[key];
        return (
          <pattern
            key={key}
            id={fillId(prefix, key)}
            width="8"
            height="8"
            patternUnits="userSpaceOnUse"
          >
            <rect width="8" height="8" fill={spec.background} />
            {spec.mark ? <Mark spec={spec.mark} /> : null}
          </pattern>
        );
      })}
    </defs>
  );
}

/** A legend in HTML (so it reflows and prints), each swatch drawn with the chart's own pattern. */
export function Legend({
  prefix,
  items,
}: {
  prefix: string;
  items: readonly { key: FillKey; label: string }[];
}) {
  return (
    <ul className="chart__legend">
      {items.map((item) => (
        <li key={item.key}>
          <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
            <rect
              x="0.5"
              y="0.5"
              width="17"
              height="17"
              fill={`url(#${fillId(prefix, item.key)})`}
              stroke="#0b0c0c"
            />
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}

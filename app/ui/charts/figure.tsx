import { useId, type ReactNode } from 'react';

/** An id prefix unique to one chart on the page, usable inside url(#…) references. */
export function useChartId() {
  return `chart${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
}

/**
 * A chart as an image with a title and a text alternative, followed by the table of its numbers.
 * Screen readers announce the title and description; the table gives every value exactly.
 */
export function ChartFigure({
  id,
  title,
  description,
  width,
  height,
  svg,
  legend,
  table,
  tallTable = false,
  narrow,
}: {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
  svg: ReactNode;
  legend?: ReactNode;
  table: ReactNode;
  /**
   * The same chart drawn for a phone screen (stacked rows on a narrower canvas). CSS shows one
   * drawing or the other; the hidden one is display:none, so it is not announced twice.
   */
  narrow?: { width: number; height: number; svg: ReactNode };
  /** A long table scrolls within a box on screen (not on paper), reachable by keyboard. */
  tallTable?: boolean;
}) {
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="chart__caption">
        {title}
      </figcaption>
      {/* On a narrow screen the chart keeps a readable size and scrolls sideways. */}
      <div className="chart__scroll" role="region" aria-label={`${title} (chart)`} tabIndex={0}>
        <svg
          className={narrow ? 'chart__image chart__image--wide' : 'chart__image'}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-desc`}
          preserveAspectRatio="xMinYMin meet"
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{description}</desc>
          {svg}
        </svg>
        {narrow ? (
          <svg
            className="chart__image chart__image--narrow"
            viewBox={`0 0 ${narrow.width} ${narrow.height}`}
            role="img"
            aria-labelledby={`${id}-narrow-title`}
            aria-describedby={`${id}-narrow-desc`}
            preserveAspectRatio="xMinYMin meet"
          >
            <title id={`${id}-narrow-title`}>{title}</title>
            <desc id={`${id}-narrow-desc`}>{description}</desc>
            {narrow.svg}
          </svg>
        ) : null}
      </div>
      {legend}
      {/* Focusable, so that a table wider or taller than its box can be scrolled by keyboard. */}
      <div
        className={`scroll-region chart__data${tallTable ? ' chart__data--tall' : ''}`}
        role="region"
        aria-label={`${title}: data table`}
        tabIndex={0}
      >
        {table}
      </div>
    </figure>
  );
}

/** Text with a white halo, readable on any fill. */
export function HaloText({
  x,
  y,
  children,
  anchor = 'middle',
  light = false,
  weight,
}: {
  x: number;
  y: number;
  children: ReactNode;
  anchor?: 'start' | 'middle' | 'end';
  light?: boolean;
  weight?: number;
}) {
  return (
    <text
      x={x}
      y={y}
      textAnchor={anchor}
      dominantBaseline="central"
      fill={light ? '#ffffff' : '#0b0c0c'}
      stroke={light ? 'none' : '#ffffff'}
      strokeWidth={light ? 0 : 3}
      paintOrder="stroke"
      fontSize="13"
      fontWeight={weight}
    >
      {children}
    </text>
  );
}

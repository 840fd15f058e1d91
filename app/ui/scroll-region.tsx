import type { ReactNode } from 'react';

/**
 * A box that scrolls sideways when its content (usually a table) is wider than a phone screen.
 * It is focusable and named, so keyboard users can scroll it and screen readers announce it
 * (axe `scrollable-region-focusable`); the page itself never scrolls sideways.
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={className ? `scroll-region ${className}` : 'scroll-region'}
      role="region"
      aria-label={label}
      tabIndex={0}
    >
      {children}
    </div>
  );
}

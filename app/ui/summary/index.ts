import type { LinkDescriptor } from '@remix-run/node';
import resultsStyles from '~/styles/results.css?url';
import summaryStyles from '~/styles/summary.css?url';

export { SummaryView, recommendationAnchor, type SummaryViewProps } from './summary-view';
export { OutcomeTag, OutcomeTimeline } from './outcome';

/** The stylesheets a page showing a summary links (the preview as well as the public pages). */
export const summaryStylesheets: LinkDescriptor[] = [
  { rel: 'stylesheet', href: resultsStyles },
  { rel: 'stylesheet', href: summaryStyles },
];

import { STANCES } from '../enums';

// The open data package: its files and columns, shared by the site that writes it and the
// verify command that reads it back.

export const OPEN_DATA_FILES = [
  'aggregates.csv',
  'aggregates.json',
  'trend.csv',
  'trend.json',
  'responses.csv',
  'responses.json',
  'README.md',
  'manifest.json',
  'open-data.zip',
] as const;
export type OpenDataFile = (typeof OPEN_DATA_FILES)[number];

export function isOpenDataFile(name: string): name is OpenDataFile {
  return (OPEN_DATA_FILES as readonly string[]).includes(name);
}

export const LICENCE = {
  name: 'Open Government Licence v3.0',
  url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
};

export const IMPORTANCE_VALUES = [1, 2, 3, 4, 5] as const;

/** Figures the results pages show, computed from the counts in the same row. */
export const FIGURE_COLUMNS = [
  'importance_mean',
  'importance_sd',
  'support_share',
  'support_low',
  'support_high',
  'oppose_share',
  'oppose_low',
  'oppose_high',
  'net_support',
  'net_support_low',
  'net_support_high',
] as const;

export const COUNT_COLUMNS = [
  'answers',
  ...STANCES,
  ...IMPORTANCE_VALUES.map((v) => `importance_${v}`),
  'importance_answers',
] as const;

/** Tone of the reasons, and of the group's published comments: texts, buckets and mean. */
export const TONE_PARTS = ['texts', 'negative', 'neutral', 'positive', 'mean'] as const;
export const TONE_COLUMNS = [
  ...TONE_PARTS.map((part) => `reasons_tone_${part}` as const),
  ...TONE_PARTS.map((part) => `comment_tone_${part}` as const),
];

export const AGGREGATE_COLUMNS = [
  'recommendation_number',
  'recommendation_slug',
  'recommendation_title',
  'group',
  'verified_only',
  'suppressed',
  ...COUNT_COLUMNS,
  ...FIGURE_COLUMNS,
  ...TONE_COLUMNS,
  'endorsements',
  'comments',
] as const;

export const TREND_COLUMNS = [
  'recommendation_number',
  'recommendation_slug',
  'verified_only',
  'day',
  'answers_added',
  'answers',
  ...STANCES,
  'net_support',
  'net_support_low',
  'net_support_high',
] as const;

export const RESPONSE_COLUMNS = [
  'response',
  'publishing_choice',
  'name',
  'organisation',
  'group',
  'verified',
  'recommendation_number',
  'recommendation_slug',
  'stance',
  'importance',
  'reasons',
  'reasons_status',
] as const;

export const FILE_DESCRIPTIONS: Record<OpenDataFile, string> = {
  'aggregates.csv':
    'Every figure on the results pages: one row per recommendation, group and view, with counts per stance and importance.',
  'aggregates.json': 'The same rows as aggregates.csv, as JSON.',
  'trend.csv':
    'Net support over time, as the recommendation pages chart it: the stances counted up to the end of each step of days.',
  'trend.json': 'The same rows as trend.csv, as JSON.',
  'responses.csv':
    'One row per published response and recommendation: named responses with name and organisation, anonymous ones with their group only.',
  'responses.json': 'The same rows as responses.csv, as JSON.',
  'README.md': 'What each column means, and how every figure is worked out, with an example.',
  'manifest.json': 'Each file’s size and SHA-256 fingerprint, and the licence.',
  'open-data.zip': 'All of the files above in one download.',
};

/** "980 bytes", "12.3 kB", "1.4 MB". */
export function formatSize(bytes: number) {
  // No-break spaces: a size never wraps between its number and unit.
  if (bytes < 1000) return `${bytes}\u00a0bytes`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)}\u00a0kB`;
  return `${(bytes / 1_000_000).toFixed(1)}\u00a0MB`;
}

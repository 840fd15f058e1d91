import { type ResultsVisibility } from '../enums';

// What the results forms and pages show and limit: labels, options and lengths, without zod,
// so that pages can import them without the schemas (app/lib/schemas/results.ts) in the browser's bundle.

export const RESULT_SORTS = [
  'number',
  'net-support',
  'importance',
  'endorsements',
  'answers',
] as const;

export type ResultSort = (typeof RESULT_SORTS)[number];

export const RESULT_SORT_LABELS: Record<ResultSort, string> = {
  number: 'Recommendation number',
  'net-support': 'Net support',
  importance: 'Mean importance',
  endorsements: 'Endorsements',
  answers: 'Answers',
};

export const SORT_DIRECTIONS = ['asc', 'desc'] as const;

export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/** Numbers read best largest first; the recommendation order reads best from the first. */
export function defaultDirection(sort: ResultSort): SortDirection {
  return sort === 'number' ? 'asc' : 'desc';
}

export type ResultsQueryOption = { name: string; values: readonly string[]; meaning: string };

export const OVERVIEW_QUERY_OPTIONS: ResultsQueryOption[] = [
  { name: 'sort', values: RESULT_SORTS, meaning: 'the column to sort the recommendations by' },
  { name: 'dir', values: SORT_DIRECTIONS, meaning: 'ascending or descending order' },
  {
    name: 'verified',
    values: ['0', '1'],
    meaning: 'whose answers to count: 1 for verified respondents only, 0 for everyone',
  },
];

export const RECOMMENDATION_QUERY_OPTIONS: ResultsQueryOption[] = [
  {
    name: 'verified',
    values: ['0', '1'],
    meaning: 'whose answers to count: 1 for verified respondents only, 0 for everyone',
  },
];

export const RESULTS_VISIBILITY_LABELS: Record<ResultsVisibility, string> = {
  during: 'While the consultation is open',
  after_close: 'Only after the consultation closes',
};

import { z } from 'zod';
import { RESULTS_VISIBILITIES } from '../enums';
import {
  RESULT_SORTS,
  SORT_DIRECTIONS,
  defaultDirection,
  OVERVIEW_QUERY_OPTIONS,
  RECOMMENDATION_QUERY_OPTIONS,
  type ResultSort,
  type SortDirection,
  type ResultsQueryOption,
} from '../forms/results';
export * from '../forms/results';

// Query strings of the results pages. They are strict: a misspelt option is answered with a
// 400 page that lists what is allowed, rather than quietly showing something else.

const verified = z.enum(['0', '1']).optional();

export const ResultsOverviewQuerySchema = z.strictObject({
  sort: z.enum(RESULT_SORTS).optional(),
  dir: z.enum(SORT_DIRECTIONS).optional(),
  verified,
});

export const RecommendationResultsQuerySchema = z.strictObject({ verified });

export type OverviewQuery = {
  sort: ResultSort;
  dir: SortDirection;
  verifiedOnly: boolean;
};

export type QueryProblem = { ok: false; message: string; options: ResultsQueryOption[] };

function problem(options: ResultsQueryOption[], detail: string): QueryProblem {
  return { ok: false, message: detail, options };
}

function readParams(search: URLSearchParams) {
  const values: Record<string, string> = {};
  for (const [key, value] of search) {
    if (key in values) return { repeated: key } as const;
    values[key] = value;
  }
  return { values } as const;
}

function describeIssues(error: z.ZodError) {
  const unknown = error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
  const invalid = error.issues
    .filter((i) => i.code !== 'unrecognized_keys')
    .map((i) => i.path.join('.'));
  const parts: string[] = [];
  if (unknown.length)
    parts.push(`This page has no option called ${unknown.map((k) => `“${k}”`).join(', ')}.`);
  if (invalid.length)
    parts.push(`The value of ${invalid.map((k) => `“${k}”`).join(', ')} is not one we know.`);
  return parts.join(' ');
}

/** Reads the overview's query string; a problem lists the valid options. */
export function parseOverviewQuery(
  search: URLSearchParams,
): { ok: true; data: OverviewQuery } | QueryProblem {
  const read = readParams(search);
  if ('repeated' in read)
    return problem(OVERVIEW_QUERY_OPTIONS, `“${read.repeated}” was given more than once.`);
  const parsed = ResultsOverviewQuerySchema.safeParse(read.values);
  if (!parsed.success) return problem(OVERVIEW_QUERY_OPTIONS, describeIssues(parsed.error));
  const sort = parsed.data.sort ?? 'number';
  return {
    ok: true,
    data: {
      sort,
      dir: parsed.data.dir ?? defaultDirection(sort),
      verifiedOnly: parsed.data.verified === '1',
    },
  };
}

/** Reads a recommendation results page's query string. */
export function parseRecommendationQuery(
  search: URLSearchParams,
): { ok: true; data: { verifiedOnly: boolean } } | QueryProblem {
  const read = readParams(search);
  if ('repeated' in read) {
    return problem(RECOMMENDATION_QUERY_OPTIONS, `“${read.repeated}” was given more than once.`);
  }
  const parsed = RecommendationResultsQuerySchema.safeParse(read.values);
  if (!parsed.success) return problem(RECOMMENDATION_QUERY_OPTIONS, describeIssues(parsed.error));
  return { ok: true, data: { verifiedOnly: parsed.data.verified === '1' } };
}

/** The organiser's choice of when the public may read the results. */
export const ResultsVisibilitySchema = z.strictObject({
  resultsVisibility: z.enum(RESULTS_VISIBILITIES, {
    error: 'Choose when the public can see the results',
  }),
});
export type ResultsVisibilityInput = z.infer<typeof ResultsVisibilitySchema>;

export {
  getPublicResultsOverview,
  getResultsAvailability,
  getPublicResultsCounts,
  getOrganiserResultsOverview,
  getPublicRecommendationResults,
  getOrganiserRecommendationResults,
  setResultsVisibility,
} from './service';
export { presentGroups, presentOverview, presentRecommendationResults, sortRows } from './present';
export type { OverviewView } from './present';

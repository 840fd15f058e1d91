export {
  getPublicResultsOverview,
  getResultsAvailability,
  getPublicResultsCounts,
  getOrganiserResultsOverview,
  getPublicRecommendationResults,
  getOrganiserRecommendationResults,
  setResultsVisibility,
} from './service';
export {
  presentGroups,
  presentTrend,
  presentOverview,
  presentRecommendationResults,
  sortRows,
} from './present';
export type { OverviewView } from './present';

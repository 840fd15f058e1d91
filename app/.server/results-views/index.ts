export {
  getPublicResultsOverview,
  getResultsAvailability,
  getOrganiserResultsOverview,
  getPublicRecommendationResults,
  getOrganiserRecommendationResults,
  setResultsVisibility,
} from './service';
export { presentOverview, presentRecommendationResults, sortRows } from './present';
export type { OverviewView } from './present';

export { getSummaryDraft, saveSummaryDraft } from './drafting';
export {
  publishSummary,
  correctSummary,
  SNAPSHOT_FORMAT,
  previewSummary,
  type SummarySnapshot,
} from './publishing';
export {
  getPublishedSummary,
  listSummaryVersions,
  diffSummaryVersions,
  type FieldDiff,
} from './reading';
export { addOutcomeUpdate, listOutcomeUpdates } from './outcomes';
export { getSummaryPage, getSummaryChanges } from './pages';
export { canonicalJson, contentHash } from './canonical';
export type { ResultBlock, Resolved, ResolvedFigure, ResolvedQuote } from './evidence';
export { getLifecycleChecklist, type ChecklistStep } from './checklist';
export { getSummaryDraftPart } from './editing';

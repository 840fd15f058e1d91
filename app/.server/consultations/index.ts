export { type ConsultationView, type PendingChange, type ChangeOutcome } from './consultation-view';
export {
  listConsultations,
  getConsultation,
  getRecommendation,
  getConsultationForEditing,
  getRecommendationForEditing,
} from './reading';
export { createConsultation, updateConsultation } from './authoring';
export { changeConsultationStatus, getClosingSummary } from './lifecycle';
export {
  addRecommendation,
  updateRecommendation,
  moveRecommendation,
  removeRecommendation,
} from './recommendations';

export {
  getSiteDetails,
  getSiteNotice,
  getConsultationNotice,
  getNoticeForEditing,
  updateConsultationNotice,
} from './notices';
export { exportMyData } from './data-export';
export {
  describeDeletion,
  deleteAccount,
  eraseAccount,
  eraseResponses,
  ACCOUNT_DELETION_FAILURES,
  type DeletionSummary,
} from './account-erasure';
export { purgeExpiredPersonalData, type RetentionItem } from './retention';
export { TOMBSTONE_BODY, TOMBSTONE_NAME, FORMER_PARTICIPANT, ERASED_TEXT } from './queries';

export {
  getSiteDetails,
  getSiteNotice,
  getConsultationNotice,
  getNoticeForEditing,
  updateConsultationNotice,
  exportMyData,
  describeDeletion,
  deleteAccount,
  eraseAccount,
  eraseResponses,
  purgeExpiredPersonalData,
  ACCOUNT_DELETION_FAILURES,
  type DeletionSummary,
  type RetentionItem,
} from './service';
export { TOMBSTONE_BODY, TOMBSTONE_NAME, FORMER_PARTICIPANT, ERASED_TEXT } from './queries';

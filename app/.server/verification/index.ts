export {
  getMyVerification,
  countPendingVerifications,
  requestVerification,
  listVerificationRequests,
  getVerificationRequest,
  decideVerification,
  revokeVerification,
  VERIFICATION_PAGE_SIZE,
} from './service';

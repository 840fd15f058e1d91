export {
  getMyVerification,
  requestVerification,
  listVerificationRequests,
  getVerificationRequest,
  decideVerification,
  revokeVerification,
  VERIFICATION_PAGE_SIZE,
} from './service';

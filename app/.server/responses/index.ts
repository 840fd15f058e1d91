export {
  getQuestionnaire,
  saveProfileStep,
  saveAnswer,
  saveFinalStep,
  submitResponse,
  getReceipt,
  changeConsent,
  listMyResponses,
  listResponsesForOrganiser,
  getResponseForOrganiser,
  RESUBMITS_PER_RESPONSE,
  type SubmitResult,
} from './service';
export { getWithdrawal, withdrawResponse, type WithdrawalOutcome } from './withdraw';

export { getQuestionnaire, getRespondOutline } from './questionnaire';
export { saveProfileStep, saveAnswer, saveFinalStep } from './drafting';
export { submitResponse, RESUBMITS_PER_RESPONSE, type SubmitResult } from './submitting';
export { getReceipt, changeConsent } from './receipts';
export { listMyResponses } from './my-responses';
export { listResponsesForOrganiser, getResponseForOrganiser } from './organiser-reading';
export { getWithdrawal, withdrawResponse, type WithdrawalOutcome } from './withdraw';

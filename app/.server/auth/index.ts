export {
  signUp,
  signIn,
  signOut,
  followConfirmationLink,
  BAD_CREDENTIALS,
  SIGN_UPS_PER_IP,
} from './service';
export {
  SIGN_IN_ATTEMPTS_PER_ACCOUNT,
  SIGN_IN_FAILURES_PER_IP,
  clearSignInAttempts,
} from './sign-in-limits';
export { COMMON_PASSWORD, PERSONAL_PASSWORD, passwordProblem } from './password-rules';
export {
  forgetSession,
  getViewer,
  hasRole,
  resolveSession,
  type Viewer,
  type RoleGrant,
} from './session';
export { hashPassword, verifyPassword } from './password';
export {
  changePassword,
  confirmEmailLink,
  describeEmailLink,
  describeResetLink,
  getEmailStatus,
  queueConfirmationEmail,
  requestEmailChange,
  requestPasswordReset,
  resendConfirmation,
  resetPassword,
  LINK_EMAILS_PER_ACCOUNT,
  RESETS_PER_ADDRESS,
  RESETS_PER_IP,
} from './account';
export {
  canModerate,
  isOrganiser,
  isSiteOrganiser,
  requireOrganiser,
  requireSignedIn,
  requireSiteOrganiser,
  SIGN_IN_TO_CONTINUE,
} from './permissions';

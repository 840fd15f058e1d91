export {
  signUp,
  signIn,
  signOut,
  BAD_CREDENTIALS,
  SIGN_IN_FAILURES_PER_ACCOUNT,
  SIGN_IN_FAILURES_PER_IP,
  SIGN_UPS_PER_IP,
  FAILED_SIGN_UPS_PER_IP,
} from './service';
export { getViewer, hasRole, resolveSession, type Viewer, type RoleGrant } from './session';
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

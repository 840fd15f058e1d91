export {
  isSiteOrganiser,
  requireSiteOrganiser,
  requireNotSuspended,
  suspendedMessage,
  getMySuspension,
  findAccountByEmail,
  listSuspendedAccounts,
  getAccountForOrganiser,
  suspendAccount,
  liftSuspension,
  changeSuspendedContent,
} from './service';

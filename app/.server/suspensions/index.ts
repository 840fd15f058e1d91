export {
  getMySuspension,
  findAccountByEmail,
  listSuspendedAccounts,
  getAccountForOrganiser,
  suspendAccount,
  liftSuspension,
  changeSuspendedContent,
} from './service';

export {
  endorse,
  withdrawEndorsement,
  getEndorsementSummary,
  listNamedEndorsers,
  ENDORSEMENTS_PER_ACCOUNT,
  ENDORSEMENTS_PER_IP,
  NAMED_ENDORSERS_PAGE_SIZE,
  type EndorsementChoices,
  type EndorseResult,
  type EndorsementSummary,
  type NamedEndorser,
  type NamedEndorsersPage,
} from './service';

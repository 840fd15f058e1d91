export { getTeam, changeTeam } from './service';
export {
  acceptInvitation,
  describeInvitation,
  INVITATION_LIFETIME_SECONDS,
  INVITATIONS_PER_ORGANISER,
  inviteSiteWide,
} from './invitations';

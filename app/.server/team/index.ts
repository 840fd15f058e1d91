export { getTeam, changeTeam } from './service';

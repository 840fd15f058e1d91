export { getOpenData, type OpenDataEntry } from './service';
export { responseLabel } from './responses';

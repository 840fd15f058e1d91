export { getOpenData, type OpenDataEntry } from './service';
export { responseLabel } from './responses';
export { openDataCacheControl, openDataResponse } from './http';

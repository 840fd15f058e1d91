export { exportConsultation } from './consultation-json';
export { csvChunks, jsonChunks } from './encode';
export type { Row } from './datasets';
export { listOrganiserExports, openOrganiserExport, EXPORT_BATCH_SIZE } from './organiser';

export { exportConsultation } from './consultation-json';
export { listOrganiserExports, openOrganiserExport, EXPORT_BATCH_SIZE } from './organiser';

// Kysely only: every query the responses module runs, by what it reads or writes.
export * from './answers';
export * from './consultations';
export * from './responses';
export * from './versions';
export * from './withdrawals';

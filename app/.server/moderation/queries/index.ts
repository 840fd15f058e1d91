// Kysely only: every query moderation runs, by what it reads or writes.
export * from './appeals';
export * from './consultations';
export * from './decisions';
export * from './items';
export * from './queue';
export * from './quotes';

export * from './cursor.js';
export * from './event-store.js';
export { type Database, type OpenDatabaseOptions, openDatabase } from './postgres/database.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
export { envelopeOf } from './postgres/rows.js';

export * from './databases.js';
export * from './event-store-contract.js';
export * from './test-catalogue.js';

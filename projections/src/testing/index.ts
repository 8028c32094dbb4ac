export * from './events.js';
export * from './harness.js';
export * from './generate.js';

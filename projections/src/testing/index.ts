export * from './events.js';
export * from './generate.js';
export * from './harness.js';

export * from './catalogue/index.js';
export * from './core-errors.js';
export * from './entry.js';

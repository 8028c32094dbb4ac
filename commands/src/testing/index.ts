export { type CollectedStream, collectStream } from './collect-stream.js';
export * from './fake-vendors/index.js';

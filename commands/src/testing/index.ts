export { deciderSpec, type ExpectedError } from '../kit/decider-spec.js';
export { type CollectedStream, collectStream } from './collect-stream.js';
export * from './fake-vendors/index.js';

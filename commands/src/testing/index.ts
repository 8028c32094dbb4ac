export { deciderSpec, type ExpectedError } from '../kit/decider-spec.js';
export { decisionSpec } from '../kit/decision-spec.js';
export { type CollectedStream, collectStream } from './collect-stream.js';
export * from './fake-vendors/index.js';
export { createTestGateway } from './test-gateway.js';

export * from './controls/controls.js';
export * from './crypto/sha256.js';
export * from './crypto/signing-keys.js';
export * from './errors/index.js';
export * from './events/catalogue/index.js';
export { runKinds } from './events/catalogue/runs.js';
export * from './events/catalogue/schemas.js';
export { skillIdPattern } from './events/catalogue/skills.js';
export {
  WORKFLOW_LIMITS,
  workflowGraph,
  workflowNodeId,
  workflowNodeTypes,
} from './events/catalogue/workflows.js';
export * from './events/envelope.js';
export * from './events/validate.js';
export * from './evidence-pack/index.js';
export * from './ids.js';
export * from './store/index.js';

export * from './controls/controls.js';
export * from './controls/crosswalks.js';
export * from './controls/evidence-rules.js';
export * from './crypto/sha256.js';
export * from './crypto/signing-keys.js';
export * from './errors/index.js';
export {
  CROSS_VENDOR_LIMITS,
  CROSS_VENDOR_REASONS,
  CROSS_VENDOR_SEVERITIES,
} from './events/catalogue/cross-vendor-evals.js';
export * from './events/catalogue/index.js';
export { externalName, integrationKinds, integrationMethods } from './events/catalogue/integrations.js';
export { MULTI_AGENT_TEXT_CHARS, reviewSeverities } from './events/catalogue/multi-agent.js';
export { runKinds } from './events/catalogue/runs.js';
export * from './events/catalogue/schemas.js';
export { skillIdPattern } from './events/catalogue/skills.js';
export * from './events/catalogue/use-cases.js';
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

export { evaluateCondition } from './condition.js';
export { type WorkflowCommand, workflowDecider } from './decide.js';
export { diffGraphs, type EdgeChange, type NodeChange, type WorkflowDiff } from './diff.js';
export { WorkflowError, WorkflowInvalidError } from './errors.js';
export { graphHash, type WorkflowFact, workflowSubject } from './facts.js';
export {
  type NodeType,
  nodeTypes,
  type WorkflowEdge,
  type WorkflowGraph,
  type WorkflowNode,
} from './graph.js';
export { handleWorkflowCommand } from './handlers.js';
export {
  type IntegrationOperation,
  integrationOperationSchemas,
  integrationOperations,
  operationKind,
} from './integration-operations.js';
export {
  isReference,
  type MappingContext,
  type MappingReference,
  MappingResolutionError,
  type MappingSource,
  MappingSyntaxError,
  mappingReferences,
  type ParsedReference,
  type PathSegment,
  parseReference,
  referenceText,
  resolveMapping,
} from './mapping.js';
export { MAX_MAPPING_DEPTH, mappingIssues, mappingSchema } from './mapping-schema.js';
export {
  type ConditionConfig,
  type ConditionOperator,
  conditionOperators,
  edgeLabels,
  type HitlConfig,
  hitlRisks,
  type IntegrationConfig,
  integrationConfig,
  type McpCallConfig,
  type MultiAgentConfig,
  type NodeConfig,
  nodeConfigSchemas,
  parseNodeConfig,
  type SkillConfig,
  type ToolConfig,
  type TriggerConfig,
  triggerKinds,
  type WorkflowToolName,
  workflowToolNames,
} from './node-configs.js';
export {
  ANY_OUTPUT,
  CONDITION_OUTPUT,
  HITL_OUTPUT,
  type JsonSchema,
  type SkillLookup,
} from './node-outputs.js';
export { evolveWorkflow, initialWorkflowState, type WorkflowState, type WorkflowStatus } from './state.js';
export { getWorkflowTemplate, WORKFLOW_TEMPLATES, type WorkflowTemplate } from './templates/index.js';
export { validateWorkflowGraph } from './validate.js';
export {
  type ValidationProblem,
  type ValidationProblemCode,
  validationProblemCodes,
} from './validation-problem.js';

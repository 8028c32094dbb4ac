export { cancelWorkflowRun } from './cancel-run.js';
export { conditionExecutor } from './condition-executor.js';
export {
  decideWorkflowRun,
  type PinnedWorkflow,
  type WorkflowRunCommand,
  workflowRunDecider,
} from './decide.js';
export { WorkflowEngine, type WorkflowEngineOptions } from './engine.js';
export { isWorkflowRunError, WorkflowRunError } from './errors.js';
export {
  failedWith,
  notAvailable,
  type StepContext,
  type StepExecutor,
  type StepExecutors,
  type StepResult,
} from './executors.js';
export {
  isWorkflowRunFact,
  type RunBudget,
  WORKFLOW_RUN_PREFIX,
  type WorkflowRunFact,
  type WorkflowTrigger,
} from './facts.js';
export { edgeTaken, readyNodes } from './graph-walk.js';
export { hitlExecutor } from './hitl-executor.js';
export {
  createKeptOutputs,
  eraseKeptOutputs,
  isKeptOutputReference,
  type KeptOutput,
  type KeptOutputReference,
  type KeptOutputs,
  keptOutputRef,
  keptOutputSha256,
  migrateWorkflowKeptOutputs,
} from './kept-outputs.js';
export { mappedArguments } from './mapped-arguments.js';
export { mcpCallExecutor } from './mcp-call-executor.js';
export {
  type McpConnections,
  type McpRegistryEntry,
  McpSandboxUnavailableError,
  type McpSession,
  type McpToolAnswer,
} from './mcp-connections.js';
export { type MultiAgentRunner, multiAgentExecutor } from './multi-agent-executor.js';
export {
  type ApprovalDecision,
  GraphUnavailableError,
  type HumanApprovals,
  type PublishedWorkflows,
  type RunCandidate,
  type RunIndex,
} from './ports.js';
export { ENGINE_ACTOR, RunSession } from './run-session.js';
export { type StepView, type WorkflowRunView, workflowRunView } from './run-view.js';
export { skillExecutor } from './skill-executor.js';
export {
  DEFAULT_RUN_BUDGET,
  RunInputError,
  runInputProblems,
  startWorkflowRun,
  triggerInputSchema,
} from './start-run.js';
export {
  evolveWorkflowRun,
  initialWorkflowRunState,
  runStatus,
  type StepState,
  type StepStatus,
  type WorkflowRunState,
  type WorkflowRunStatus,
} from './state.js';
export { backoffMs as stepBackoffMs, type StepPolicy, stepPolicy } from './step-policy.js';
export { toolExecutor } from './tool-executor.js';
export { type WorkerIdentity, workerIdentity } from './worker-identity.js';

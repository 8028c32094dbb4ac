export { type CompiledPolicy, type CompiledScope, compilePolicy } from './compile.js';
export type { Decision, DecisionCode } from './decision.js';
export { defaultPolicy } from './default-policy.js';
export { applyDlp, type DlpGateResult } from './dlp-gate.js';
export { evaluatePolicy, type PolicyEvaluation, type PolicyRequest } from './evaluate.js';
export { evaluateToolCall, type ToolCallEvaluation, type ToolCallRequest } from './evaluate-tool-call.js';
export { InvalidPolicyError, parsePolicy } from './parse.js';
export {
  type AgentScope,
  agentScopeSchema,
  type DlpAction,
  dlpActionSchema,
  type PolicyDocument,
  type PolicyDocumentInput,
  policyDocumentSchema,
} from './schema.js';

export { decideToolGate, decideToolResult, type ToolCallOutcome, type ToolRefusalCode } from './decide.js';
export {
  type ToolCallEnvelope,
  toolCalledEvent,
  toolCallSubject,
  toolCompletedEvent,
  toolRefusedEvent,
} from './events.js';
export {
  type GovernedToolResult,
  governedToolCall,
  type ToolCallApprovals,
  type ToolCallRuntime,
} from './governed-tool-call.js';

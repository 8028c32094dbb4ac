export { AUDITED_TOOL_NAME_MAX, auditedToolName } from './audited-tool-name.js';
export {
  gateDecision,
  MCP_SERVER_TRANSITIONS,
  type McpCallCommand,
  type McpServerAction,
  type McpServerCommand,
  mcpCallDecider,
  mcpServerDecider,
  nameTakenDetail,
} from './decide.js';
export { McpError, type McpRefusal } from './errors.js';
export {
  type McpCallFact,
  type McpServerConfig,
  type McpServerFact,
  mcpCallSubject,
  mcpServerSubject,
  registeredEventData,
} from './facts.js';
export { gateMcpCall, handleMcpServerCommand, recordMcpActivity } from './handlers.js';
export {
  evolveMcpCall,
  evolveMcpServer,
  initialMcpCallState,
  initialMcpServerState,
  type McpCallState,
  type McpServerState,
  type McpServerStatus,
} from './state.js';

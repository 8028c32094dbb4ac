export {
  sessionBranch,
  WORKTREE_TOOL,
  type WorktreeArgs,
  type WorktreeDiff,
  worktreeArgs,
} from './coder/worktree-tool.js';
export { DAEMON_ERRORS, DaemonError, type DaemonErrorCode } from './errors.js';
export * from './frames.js';
export * from './governance.js';
export { type DeviceCredentials, deviceCredentials } from './pairing/credentials.js';
export { type PairRequest, type PairResponse, pairResponse } from './pairing/pair.js';
export * from './protocol.js';
export * from './protocol-parse.js';
export { type ConfinedPath, confine, openRoot, type Root } from './tools/confine.js';
export { type ExecuteOptions, executeTool, type ToolFailure, type ToolOutcome } from './tools/execute.js';
export { LIMITS } from './tools/limits.js';
export { renderText } from './tools/render.js';
export type * from './tools/results.js';
export {
  bubblewrapWorks,
  type CommandSandbox,
  SANDBOX_LIMITS,
  SANDBOX_WORKSPACE,
  sandboxedProgram,
} from './tools/sandbox.js';
export {
  isToolName,
  TOOL_NAMES,
  type ToolArgs,
  type ToolName,
  toolDescriptions,
  toolSchemas,
} from './tools/schemas.js';
export { TOOL_ERROR_CODES, ToolError, type ToolErrorCode } from './tools/tool-error.js';
export { DAEMON_VERSION } from './version.js';

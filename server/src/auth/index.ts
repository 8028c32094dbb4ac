export { AGENT_NAME, AgentMismatch, agentOf } from './agent.js';
export { type ApiKeyMaterial, generateApiKey, hashApiKey } from './api-key-material.js';
export type { Principal } from './principal.js';
export { principalOf, requireRole, requireUser } from './require-role.js';

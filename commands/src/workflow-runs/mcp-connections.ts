import type { McpServerConfig } from '../mcp/facts.js';
import type { McpServerStatus } from '../mcp/state.js';

/** A server of the org's MCP registry as an `mcp_call` step finds it by name. */
export interface McpRegistryEntry {
  id: string;
  status: McpServerStatus;
  config: McpServerConfig;
}

/** What one call of an MCP tool returned: the structured content when the tool gave one, else its text. */
export type McpToolAnswer = { ok: true; output: unknown } | { ok: false; message: string };

/** An open connection to one MCP server; closed by whoever opened it, whatever happened. */
export interface McpSession {
  /** The names of the tools the server offers. */
  listTools(signal: AbortSignal): Promise<string[]>;
  callTool(input: {
    tool: string;
    args: Record<string, unknown>;
    signal: AbortSignal;
  }): Promise<McpToolAnswer>;
  close(): Promise<void>;
}

/**
 * The MCP client side as an `mcp_call` step uses it; the server provides it with the official SDK.
 * `connect` throws `McpSandboxUnavailableError` for a stdio server this host cannot confine, and any
 * other error when the server cannot be reached.
 */
export interface McpConnections {
  /** The org's registry entry of this name, whatever its status; `undefined` when the org has none. */
  find(input: { org: string; name: string }): Promise<McpRegistryEntry | undefined>;
  connect(input: { org: string; server: McpServerConfig; signal: AbortSignal }): Promise<McpSession>;
}

/** A stdio server is only ever started inside the workspace sandbox; without one it is not started at all. */
export class McpSandboxUnavailableError extends Error {
  override readonly name = 'McpSandboxUnavailableError';
}

import type { Fact } from '../kit/fact.js';

/** The events of one registry entry, subject `mcp-server/<server id>`. */
export type McpServerFact = Fact<
  'cp.mcp.server.registered' | 'cp.mcp.server.published' | 'cp.mcp.server.deprecated'
>;

/** The events of one governed MCP tool call, subject `mcp-call/<call id>`: the gate's verdict, the device's report. */
export type McpCallFact = Fact<'cp.mcp.gate.decided' | 'cp.mcp.activity.recorded'>;

export const mcpServerSubject = (serverId: string) => `mcp-server/${serverId}`;
export const mcpCallSubject = (callId: string) => `mcp-call/${callId}`;

/** What an admin registers (the server validates it): a stdio command or an HTTP URL, named uniquely in the org. */
export type McpServerConfig =
  | { name: string; transport: 'stdio'; command: string; args: string[]; description?: string | undefined }
  | { name: string; transport: 'http'; url: string; description?: string | undefined };

/** The `cp.mcp.server.registered` payload: the server's whole configuration, so its row can be rebuilt. */
export function registeredEventData(serverId: string, config: McpServerConfig) {
  return {
    serverId,
    name: config.name,
    transport: config.transport,
    ...(config.transport === 'stdio' ? { command: config.command, args: config.args } : { url: config.url }),
    ...(config.description !== undefined ? { description: config.description } : {}),
  };
}

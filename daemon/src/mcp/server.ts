import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Root } from '../tools/confine.js';
import { executeTool } from '../tools/execute.js';
import { renderText } from '../tools/render.js';
import type { ToolResults } from '../tools/results.js';
import { TOOL_NAMES, type ToolName, toolDescriptions, toolSchemas } from '../tools/schemas.js';
import { DAEMON_VERSION } from '../version.js';
import type { Execute, GovernedOutcome } from './governed-executor.js';

export interface McpServerOptions {
  root: Root;
  /** When set, every call goes through it (the governed mode); otherwise tools run directly. */
  governed?: (tool: string, args: Record<string, unknown>, execute: Execute) => Promise<GovernedOutcome>;
}

function toCallToolResult(tool: ToolName, outcome: GovernedOutcome): CallToolResult {
  if (!outcome.ok) {
    return {
      isError: true,
      content: [{ type: 'text', text: `${outcome.error.code}: ${outcome.error.message}` }],
    };
  }
  return { content: [{ type: 'text', text: renderText(tool, outcome.result as ToolResults[ToolName]) }] };
}

/** The stdio MCP face of the daemon: the seven tools, with the same schemas and confinement as `run`. */
export function createMcpServer(options: McpServerOptions): McpServer {
  const server = new McpServer({ name: 'proofpane-daemon', version: DAEMON_VERSION });
  for (const tool of TOOL_NAMES) {
    const execute: Execute = (args) => executeTool(tool, args, { root: options.root });
    server.registerTool(
      tool,
      { title: tool, description: toolDescriptions[tool], inputSchema: toolSchemas[tool] },
      async (args: Record<string, unknown>) => {
        const outcome = options.governed ? await options.governed(tool, args, execute) : await execute(args);
        return toCallToolResult(tool, outcome);
      },
    );
  }
  return server;
}

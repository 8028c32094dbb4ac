import type { EventStore } from '@proofpane/core';
import { auditedToolName } from '../mcp/audited-tool-name.js';
import type { McpServerConfig } from '../mcp/facts.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { ToolCallOutcome } from '../tools/decide.js';
import { governedToolCall } from '../tools/governed-tool-call.js';
import { mcpCallConfig } from '../workflows/node-configs.js';
import { failedWith, type StepExecutor } from './executors.js';
import { mappedArguments } from './mapped-arguments.js';
import { type McpConnections, McpSandboxUnavailableError } from './mcp-connections.js';

/** Failures another attempt may fix: the server was down or slow, or its tool answered with an error. */
const RETRYABLE = new Set(['mcp_server_unreachable', 'mcp_tool_failed']);

/**
 * An `mcp_call` node: a tool of a server the org's MCP registry has published, called through the
 * governed tool path (policy on the tool's name and arguments, DLP on both ways, `cp.tool.*` audited with
 * the run's id). The gate decides before anything is started or contacted; then one connection opens,
 * lists the server's tools, calls the one named, and is closed whatever happened, so nothing outlives
 * the step. A stdio server counts as a local tool (it runs on this host, confined), an HTTP one as remote.
 */
export function mcpCallExecutor(options: {
  store: EventStore;
  policy(org: string): Promise<{ version: number; compiled: CompiledPolicy }>;
  connections: McpConnections;
  /** The arguments' hash as the tool runtimes compute it. */
  argsHash(args: unknown): string;
}): StepExecutor {
  const { connections } = options;
  return async ({ org, runId, node, mapping, actor, signal }) => {
    const config = mcpCallConfig.safeParse(node.config);
    if (!config.success) return failedWith('invalid_config', config.error, false);
    const { server: name, tool } = config.data;
    const entry = await connections.find({ org, name });
    if (entry?.status !== 'published')
      return {
        status: 'failed',
        code: 'mcp_server_not_published',
        message: entry
          ? `the MCP server "${name}" is ${entry.status}; only a published server is called`
          : `the org's MCP registry has no server named "${name}"`,
        retryable: false,
      };
    const mapped = mappedArguments(config.data.args, mapping);
    if ('failed' in mapped) return mapped.failed;
    const { args } = mapped;
    const server = entry.config;
    const result = await governedToolCall({
      store: options.store,
      policy: await options.policy(org),
      org,
      actor,
      // The audit events hold 100 characters of a name; MCP allows 128 (the longer ones are hashed).
      tool: auditedToolName(tool),
      args: args as Record<string, unknown>,
      argsSha256: options.argsHash(args),
      runtime: {
        kind: server.transport === 'stdio' ? 'local' : 'remote',
        execute: () =>
          callOnce({ connections, org, server, tool, args: args as Record<string, unknown>, signal }),
      },
      meta: { runId, mcpServer: entry.id },
    });
    if (result.status === 'refused')
      return {
        status: 'failed',
        code: result.code,
        message:
          result.code === 'hitl_required'
            ? `the policy asks a person to approve ${tool}; put a hitl node before this step: ${result.reason}`
            : result.reason,
        retryable: false,
      };
    if (!result.outcome.ok)
      return {
        status: 'failed',
        code: result.outcome.error.code,
        message: result.outcome.error.message,
        retryable: RETRYABLE.has(result.outcome.error.code),
      };
    return { status: 'completed', output: result.outcome.result };
  };
}

/** One connection for one call, closed on every path; failures become outcomes, never throws. */
async function callOnce(input: {
  connections: McpConnections;
  org: string;
  server: McpServerConfig;
  tool: string;
  args: Record<string, unknown>;
  signal: AbortSignal;
}): Promise<ToolCallOutcome> {
  const { server, tool, signal } = input;
  let session: Awaited<ReturnType<McpConnections['connect']>>;
  try {
    session = await input.connections.connect({ org: input.org, server, signal });
  } catch (error) {
    if (error instanceof McpSandboxUnavailableError)
      return { ok: false, error: { code: 'sandbox_unavailable', message: error.message } };
    return failure('mcp_server_unreachable', `the MCP server "${server.name}" could not be reached`, error);
  }
  try {
    let offered: string[];
    try {
      offered = await session.listTools(signal);
    } catch (error) {
      return failure(
        'mcp_server_unreachable',
        `the MCP server "${server.name}" did not list its tools`,
        error,
      );
    }
    if (!offered.includes(tool))
      return {
        ok: false,
        error: {
          code: 'mcp_tool_not_offered',
          message: `the MCP server "${server.name}" does not offer a tool named "${tool}"`,
        },
      };
    let answer: Awaited<ReturnType<typeof session.callTool>>;
    try {
      answer = await session.callTool({ tool, args: input.args, signal });
    } catch (error) {
      return failure('mcp_server_unreachable', `the call of "${tool}" did not complete`, error);
    }
    if (!answer.ok)
      return { ok: false, error: { code: 'mcp_tool_failed', message: answer.message.slice(0, 2_000) } };
    return { ok: true, result: answer.output };
  } finally {
    await session.close().catch(() => {});
  }
}

const failure = (code: string, what: string, error: unknown): ToolCallOutcome => ({
  ok: false,
  error: {
    code,
    message: `${what}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 2_000),
  },
});

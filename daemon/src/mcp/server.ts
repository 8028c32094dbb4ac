import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Root } from '../tools/confine.js';
import { executeTool } from '../tools/execute.js';
import { toolAnnotations, toolOutputSchemas } from '../tools/output-schemas.js';
import { renderText } from '../tools/render.js';
import type { ToolResults } from '../tools/results.js';
import { TOOL_NAMES, type ToolName, toolDescriptions, toolSchemas } from '../tools/schemas.js';
import { DAEMON_VERSION } from '../version.js';
import type { Execute, GovernedCall, GovernedOutcome } from './governed-executor.js';

export interface McpServerOptions {
  root: Root;
  /** When set, every call goes through it (the governed mode); otherwise tools run directly. */
  governed?: GovernedCall;
}

export interface DaemonMcpServer {
  server: McpServer;
  /** Tool calls still running. */
  readonly inFlight: number;
  /**
   * Cancels every running call (a `bash` command's processes are killed) and waits, at most `timeoutMs`,
   * for them to settle. For when the client is gone: nobody is left to cancel them one by one.
   */
  abortAll(timeoutMs?: number): Promise<void>;
}

function toCallToolResult(tool: ToolName, outcome: GovernedOutcome): CallToolResult {
  if (!outcome.ok) {
    return {
      isError: true,
      content: [{ type: 'text', text: `${outcome.error.code}: ${outcome.error.message}` }],
    };
  }
  const result = outcome.result as ToolResults[ToolName];
  // Structured for clients that read the output schema, rendered as text for those that show it to a model.
  return {
    structuredContent: result as unknown as Record<string, unknown>,
    content: [{ type: 'text', text: renderText(tool, result) }],
  };
}

/** The stdio MCP face of the daemon: the seven tools, with the same schemas and confinement as `run`. */
export function createMcpServer(options: McpServerOptions): DaemonMcpServer {
  const server = new McpServer({ name: 'proofpane-daemon', version: DAEMON_VERSION });
  const running = new Map<AbortController, Promise<unknown>>();

  for (const tool of TOOL_NAMES) {
    server.registerTool(
      tool,
      {
        title: tool,
        description: toolDescriptions[tool],
        inputSchema: toolSchemas[tool],
        outputSchema: toolOutputSchemas[tool],
        annotations: { title: tool, ...toolAnnotations[tool] },
      },
      async (
        args: Record<string, unknown>,
        extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
      ) => {
        // Our own controller, so a close can cancel calls the SDK no longer tracks; it follows the
        // request's signal, which the SDK aborts on notifications/cancelled.
        const controller = new AbortController();
        const follow = () => controller.abort(extra.signal.reason);
        if (extra.signal.aborted) follow();
        else extra.signal.addEventListener('abort', follow, { once: true });
        const { signal } = controller;
        const execute: Execute = (callArgs) => executeTool(tool, callArgs, { root: options.root, signal });
        const progressToken = extra._meta?.progressToken;
        let progress = 0;
        // Progress notifications keep a client that resets its timeout on progress waiting for an approval.
        const waiting =
          progressToken === undefined
            ? undefined
            : (message: string) =>
                void extra
                  .sendNotification({
                    method: 'notifications/progress',
                    params: { progressToken, progress: ++progress, message },
                  })
                  .catch(() => undefined);
        const call = options.governed
          ? options.governed(tool, args, execute, { signal, ...(waiting ? { waiting } : {}) })
          : execute(args);
        running.set(controller, call);
        try {
          return toCallToolResult(tool, await call);
        } finally {
          running.delete(controller);
          extra.signal.removeEventListener('abort', follow);
        }
      },
    );
  }

  return {
    server,
    get inFlight() {
      return running.size;
    },
    async abortAll(timeoutMs = 5_000) {
      const calls = [...running.entries()];
      for (const [controller] of calls) controller.abort(new Error('the MCP client went away'));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(calls.map(([, call]) => call)),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

import { mkdir } from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type McpConnections,
  McpSandboxUnavailableError,
  type McpServerConfig,
  type McpServerStatus,
  type McpSession,
} from '@proofpane/commands';
import { sandboxedProgram } from '@proofpane/daemon';
import { type Kysely, sql } from 'kysely';

/** Bounds of one step's MCP traffic: a server that hangs or floods cannot hold a worker or its memory. */
export const MCP_CLIENT_LIMITS = {
  connectMs: 15_000,
  listMs: 15_000,
  callMs: 55_000,
  /** Pages of `tools/list` read before the list is taken as it stands. */
  listPages: 20,
  /** The largest output (as JSON) a step keeps. */
  outputBytes: 1024 * 1024,
  /** CPU seconds a stdio server may use inside its sandbox. */
  cpuSeconds: 60,
} as const;

/**
 * The official MCP SDK client behind the `mcp_call` step's port: Streamable HTTP for a URL server; for
 * a command server, its program started inside the org's workspace sandbox (bubblewrap: only the org's
 * folder writable, the system read-only, no network, a cleared environment, resource limits), or not
 * at all. One connection per call, closed by the step; closing a stdio one ends its process tree.
 */
export function mcpClientConnections(options: {
  db: Kysely<unknown>;
  /** The host folder of the org's workspace, as the in-process tools use it. */
  workspaceDir(org: string): string;
}): McpConnections {
  return {
    async find({ org, name }) {
      const { rows } = await sql<{ id: string; status: McpServerStatus; config: string }>`
        SELECT id, status, config FROM mcp_servers WHERE org = ${org} AND name = ${name}`.execute(options.db);
      const row = rows[0];
      return row && { id: row.id, status: row.status, config: JSON.parse(row.config) as McpServerConfig };
    },

    async connect({ org, server, signal }) {
      const transport = await transportFor(server, options.workspaceDir(org));
      const client = new Client({ name: 'proofpane-workflow', version: '0.1.0' });
      try {
        await client.connect(transport, { signal, timeout: MCP_CLIENT_LIMITS.connectMs });
      } catch (error) {
        await client.close().catch(() => {});
        throw error;
      }
      return session(client);
    },
  };
}

async function transportFor(server: McpServerConfig, dir: string): Promise<Transport> {
  if (server.transport === 'http') return new StreamableHTTPClientTransport(new URL(server.url));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const confined = await sandboxedProgram({
    dir,
    file: server.command,
    args: server.args,
    cpuSeconds: MCP_CLIENT_LIMITS.cpuSeconds,
  });
  if (!confined)
    throw new McpSandboxUnavailableError(
      `bubblewrap cannot build the workspace sandbox here, so the stdio MCP server "${server.name}" is not started`,
    );
  return new StdioClientTransport({
    command: confined.file,
    args: confined.args,
    cwd: confined.cwd,
    env: confined.env as Record<string, string>,
    // The server's stderr could hold anything; it is neither logged nor kept.
    stderr: 'ignore',
  });
}

function session(client: Client): McpSession {
  return {
    async listTools(signal) {
      const names: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MCP_CLIENT_LIMITS.listPages; page++) {
        const listed = await client.listTools(cursor === undefined ? {} : { cursor }, {
          signal,
          timeout: MCP_CLIENT_LIMITS.listMs,
        });
        names.push(...listed.tools.map((t) => t.name));
        cursor = listed.nextCursor;
        if (cursor === undefined) break;
      }
      return names;
    },

    async callTool({ tool, args, signal }) {
      const result = await client.callTool({ name: tool, arguments: args }, undefined, {
        signal,
        timeout: MCP_CLIENT_LIMITS.callMs,
        maxTotalTimeout: MCP_CLIENT_LIMITS.callMs,
      });
      const text = textOf(result.content);
      if (result.isError === true) return { ok: false, message: text || 'the tool reported an error' };
      const output = result.structuredContent ?? text;
      if (Buffer.byteLength(JSON.stringify(output ?? null)) > MCP_CLIENT_LIMITS.outputBytes)
        return {
          ok: false,
          message: `the tool's result is larger than ${MCP_CLIENT_LIMITS.outputBytes} bytes`,
        };
      return { ok: true, output };
    },

    close: () => client.close(),
  };
}

/** The text parts of a tool result, joined; images, audio and resources are not carried into a run. */
function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .filter(
      (part): part is { type: 'text'; text: string } =>
        part?.type === 'text' && typeof part.text === 'string',
    )
    .map((part) => part.text)
    .join('\n');
}

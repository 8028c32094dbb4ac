import type { AnyNewEvent, EventStore } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { compilePolicy, defaultPolicy, parsePolicy } from '../policy/index.js';
import type { WorkflowNode } from '../workflows/graph.js';
import type { StepContext } from './executors.js';
import { mcpCallExecutor } from './mcp-call-executor.js';
import {
  type McpConnections,
  type McpRegistryEntry,
  McpSandboxUnavailableError,
  type McpToolAnswer,
} from './mcp-connections.js';

const policy = {
  version: 2,
  compiled: compilePolicy(parsePolicy({ tools: ['lookup', 'missing'], dlp: defaultPolicy().dlp })),
};
const published: McpRegistryEntry = {
  id: 'mcp_1',
  status: 'published',
  config: { name: 'crm', transport: 'http', url: 'http://127.0.0.1:1/mcp' },
};

function harness(options: {
  entry?: McpRegistryEntry | undefined;
  connect?: () => Promise<void>;
  tools?: string[];
  answer?: McpToolAnswer;
}) {
  const appended: AnyNewEvent[] = [];
  const store = {
    append: async (batch: { events: AnyNewEvent[] }) => {
      appended.push(...batch.events);
      return [];
    },
  } as unknown as EventStore;
  const log = { connected: 0, closed: 0, called: [] as unknown[] };
  const connections: McpConnections = {
    find: async ({ name }) => (name === 'crm' ? options.entry : undefined),
    connect: async () => {
      await options.connect?.();
      log.connected++;
      return {
        listTools: async () => options.tools ?? ['lookup'],
        callTool: async (input) => {
          log.called.push(input.args);
          return options.answer ?? { ok: true, output: { found: true } };
        },
        close: async () => {
          log.closed++;
        },
      };
    },
  };
  const executor = mcpCallExecutor({
    store,
    policy: async () => policy,
    connections,
    argsHash: () => 'a'.repeat(64),
  });
  const run = (tool: string, server = 'crm') =>
    executor({
      org: 'org_a',
      runId: 'run_1',
      workflowId: 'wf_1',
      version: 1,
      node: {
        id: 'ask',
        type: 'mcp_call',
        config: { server, tool, args: { q: '$.input.q' } },
      } as WorkflowNode,
      attempt: 1,
      mapping: { input: { q: 'acme' }, outputs: {} },
      childRunId: undefined,
      actor: { kind: 'user', id: 'usr_1' },
      signal: new AbortController().signal,
    } as StepContext);
  return { appended, log, run };
}

describe('an mcp_call step', () => {
  it('calls the tool with the mapped arguments and closes the connection', async () => {
    const h = harness({ entry: published });
    expect(await h.run('lookup')).toEqual({ status: 'completed', output: { found: true } });
    expect(h.log).toEqual({ connected: 1, closed: 1, called: [{ q: 'acme' }] });
    expect(h.appended.map((e) => [e.type, e.meta])).toEqual([
      ['cp.tool.called', { runId: 'run_1', mcpServer: 'mcp_1' }],
      ['cp.tool.completed', { runId: 'run_1', mcpServer: 'mcp_1' }],
    ]);
  });

  it('fails without contacting anything for a server that is not published', async () => {
    for (const entry of [undefined, { ...published, status: 'draft' as const }]) {
      const h = harness({ entry });
      expect(await h.run('lookup')).toMatchObject({
        status: 'failed',
        code: 'mcp_server_not_published',
        retryable: false,
      });
      expect(h.log.connected).toBe(0);
      expect(h.appended).toEqual([]);
    }
  });

  it('refuses by policy before connecting', async () => {
    const h = harness({ entry: published });
    expect(await h.run('delete_all')).toMatchObject({ status: 'failed', code: 'policy_blocked' });
    expect(h.log.connected).toBe(0);
    expect(h.appended.map((e) => e.type)).toEqual(['cp.tool.refused']);
  });

  it('names a tool the server does not offer, and still closes the connection', async () => {
    const h = harness({ entry: published, tools: ['lookup'] });
    expect(await h.run('missing')).toMatchObject({
      status: 'failed',
      code: 'mcp_tool_not_offered',
      message: expect.stringContaining('"missing"'),
      retryable: false,
    });
    expect(h.log).toMatchObject({ connected: 1, closed: 1, called: [] });
  });

  it('tells a missing sandbox from an unreachable server, and retries only the latter and tool errors', async () => {
    const confined = harness({
      entry: published,
      connect: async () => {
        throw new McpSandboxUnavailableError('no bubblewrap');
      },
    });
    expect(await confined.run('lookup')).toMatchObject({ code: 'sandbox_unavailable', retryable: false });
    const down = harness({
      entry: published,
      connect: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
    expect(await down.run('lookup')).toMatchObject({ code: 'mcp_server_unreachable', retryable: true });
    const erring = harness({ entry: published, answer: { ok: false, message: 'no such customer' } });
    expect(await erring.run('lookup')).toMatchObject({
      code: 'mcp_tool_failed',
      message: 'no such customer',
      retryable: true,
    });
    expect(erring.log.closed).toBe(1);
  });
});

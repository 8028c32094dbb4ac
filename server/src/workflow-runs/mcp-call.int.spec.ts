import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { WorkflowGraph } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';
import { workspacesDir } from '../tools/runtime.js';

/** A small MCP server over Streamable HTTP on loopback: `shout` answers structured content, `echo` text. */
async function startHttpMcpServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    // Stateless: one McpServer and transport per request, as the SDK's stateless example does.
    const mcp = new McpServer({ name: 'spec-tools', version: '1.0.0' });
    mcp.registerTool(
      'shout',
      {
        inputSchema: { text: z.string() },
        outputSchema: { shouted: z.string(), length: z.number() },
      },
      async ({ text }) => {
        const shouted = text.toUpperCase();
        return {
          content: [{ type: 'text', text: shouted }],
          structuredContent: { shouted, length: shouted.length },
        };
      },
    );
    mcp.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text: `echo: ${text}` }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, server };
}

/**
 * A stdio MCP server as a plain script (the sandbox sees /usr and the org's workspace, not this
 * repository's node_modules): newline-delimited JSON-RPC, one tool that reports where it runs.
 */
const STDIO_SERVER = `
import { createInterface } from 'node:readline';
import { connect } from 'node:net';
const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\\n');
const network = () => new Promise((resolve) => {
  const socket = connect({ host: '1.1.1.1', port: 53, timeout: 1000 });
  socket.on('connect', () => { socket.destroy(); resolve(true); });
  socket.on('error', () => resolve(false));
  socket.on('timeout', () => { socket.destroy(); resolve(false); });
});
createInterface({ input: process.stdin }).on('line', async (line) => {
  const m = JSON.parse(line);
  if (m.id === undefined) return;
  if (m.method === 'initialize')
    return send({ id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} },
      serverInfo: { name: 'spec-stdio', version: '1.0.0' } } });
  if (m.method === 'tools/list')
    return send({ id: m.id, result: { tools: [{ name: 'whereami', inputSchema: { type: 'object' } }] } });
  if (m.method === 'tools/call') {
    const seen = { cwd: process.cwd(), env: Object.keys(process.env).sort(), uid: process.getuid(),
      network: await network(), text: m.params.arguments.text };
    return send({ id: m.id, result: { content: [{ type: 'text', text: JSON.stringify(seen) }], structuredContent: seen } });
  }
  send({ id: m.id, error: { code: -32601, message: 'no such method' } });
}).on('close', () => process.exit(0));
`;

/** Processes whose command line holds the token: the sandbox and the server it runs. */
function processesHolding(token: string): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token);
      } catch {
        return false;
      }
    });
}

const graphCalling = (server: string, tool: string): WorkflowGraph => ({
  nodes: [
    {
      id: 'start',
      type: 'trigger',
      config: {
        kind: 'manual',
        inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      },
    },
    {
      id: 'ask',
      type: 'mcp_call',
      config: { server, tool, args: { text: '$.input.text' }, retry: { maxAttempts: 1, backoffMs: 100 } },
    },
  ],
  edges: [{ from: 'start', to: 'ask' }],
});

for (const driver of testDrivers) {
  describe(`mcp_call steps on a registry's MCP server, on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let http: { url: string; server: Server };

    beforeAll(async () => {
      http = await startHttpMcpServer();
      t = await createIdentityTestApp({ driver, env: { PROOFPANE_WORKFLOW_SWEEP_MS: '50' } });
      owner = await registerAccount(t.app);
    });
    afterAll(async () => {
      await t.dispose();
      await new Promise((resolve) => http.server.close(resolve));
    });

    const call = (account: Account, options: InjectOptions) =>
      t.app.inject({ ...options, headers: { ...auth(account.token), ...options.headers } });
    const register = async (account: Account, payload: Record<string, unknown>, publish: boolean) => {
      const created = await call(account, { method: 'POST', url: '/api/mcp/servers', payload });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      if (publish) {
        const published = await call(account, { method: 'POST', url: `/api/mcp/servers/${id}/publish` });
        expect(published.statusCode, published.body).toBe(200);
      }
      return id;
    };
    /** Publishes a workflow of one mcp_call node, runs it and waits for its end. */
    const runToEnd = async (account: Account, graph: WorkflowGraph, text: string) => {
      const created = await call(account, {
        method: 'POST',
        url: '/api/workflows',
        payload: { name: `mcp ${Math.random()}`, graph },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      expect((await call(account, { method: 'POST', url: `/api/workflows/${id}/publish` })).statusCode).toBe(
        200,
      );
      const started = await call(account, {
        method: 'POST',
        url: `/api/workflows/${id}/runs`,
        payload: { input: { text } },
      });
      expect(started.statusCode, started.body).toBe(202);
      const runId = started.json().runId as string;
      for (let i = 0; i < 400; i++) {
        const body = (await call(account, { method: 'GET', url: `/api/workflow-runs/${runId}` })).json();
        if (body.status === 'succeeded' || body.status === 'failed') return { runId, run: body };
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`run ${runId} never ended`);
    };
    const toolEvents = async (org: string, runId: string) => {
      const events = await t.runtime.store.readOrg({ org, limit: 10_000 });
      return events.filter((e) => e.type.startsWith('cp.tool.') && e.meta?.runId === runId);
    };

    it("calls a published HTTP server's tool through the governed path; the step's output is its structured content", async () => {
      const serverId = await register(owner, { name: 'spec-http', transport: 'http', url: http.url }, true);
      const { runId, run } = await runToEnd(owner, graphCalling('spec-http', 'shout'), 'hello');
      expect(run.status).toBe('succeeded');
      expect(run.steps[0]).toMatchObject({
        nodeId: 'ask',
        status: 'completed',
        output: { shouted: 'HELLO', length: 5 },
      });
      const events = await toolEvents(owner.org, runId);
      expect(events.map((e) => e.type)).toEqual(['cp.tool.called', 'cp.tool.completed']);
      expect(events[0]).toMatchObject({
        data: { tool: 'shout', runtime: 'remote' },
        meta: { runId, mcpServer: serverId },
      });
      expect(events[1]).toMatchObject({ data: { tool: 'shout', ok: true } });
      // The audit holds the arguments' hash and the result's size, never the values.
      expect(JSON.stringify(events)).not.toContain('hello');

      const text = await runToEnd(owner, graphCalling('spec-http', 'echo'), 'plain');
      expect(text.run.steps[0]).toMatchObject({ status: 'completed', output: 'echo: plain' });
    });

    it('fails the step naming a tool the server does not offer', async () => {
      const { run } = await runToEnd(owner, graphCalling('spec-http', 'whisper'), 'x');
      expect(run.status).toBe('failed');
      expect(run.steps[0]).toMatchObject({
        status: 'failed',
        error: { code: 'mcp_tool_not_offered', message: expect.stringContaining('"whisper"') },
      });
    });

    it('fails the step on a server that is unknown, draft or deprecated, before contacting it', async () => {
      await register(owner, { name: 'spec-draft', transport: 'http', url: http.url }, false);
      const deprecated = await register(
        owner,
        { name: 'spec-deprecated', transport: 'http', url: http.url },
        true,
      );
      await call(owner, { method: 'POST', url: `/api/mcp/servers/${deprecated}/deprecate` });
      for (const [name, said] of [
        ['spec-unknown', 'no server named'],
        ['spec-draft', 'is draft'],
        ['spec-deprecated', 'is deprecated'],
      ] as const) {
        const { runId, run } = await runToEnd(owner, graphCalling(name, 'shout'), 'x');
        expect(run.steps[0]).toMatchObject({
          status: 'failed',
          error: { code: 'mcp_server_not_published', message: expect.stringContaining(said) },
        });
        expect(await toolEvents(owner.org, runId)).toEqual([]);
      }
      // Another org's published server of the same name is not this org's.
      const stranger = await registerAccount(t.app);
      const { run } = await runToEnd(stranger, graphCalling('spec-http', 'shout'), 'x');
      expect(run.steps[0]).toMatchObject({ error: { code: 'mcp_server_not_published' } });
    });

    it('refuses a tool the policy does not allow, audited as refused', async () => {
      const restricted = await registerAccount(t.app);
      const policy = await call(restricted, {
        method: 'PUT',
        url: '/api/policy',
        payload: { tools: ['echo'] },
      });
      expect(policy.statusCode, policy.body).toBe(200);
      await register(restricted, { name: 'spec-http', transport: 'http', url: http.url }, true);
      const { runId, run } = await runToEnd(restricted, graphCalling('spec-http', 'shout'), 'x');
      expect(run.steps[0]).toMatchObject({ status: 'failed', error: { code: 'policy_blocked' } });
      const events = await toolEvents(restricted.org, runId);
      expect(events).toMatchObject([
        { type: 'cp.tool.refused', data: { tool: 'shout', code: 'policy_blocked' } },
      ]);
    });

    it('runs a stdio server confined to the org workspace sandbox, and nothing of it outlives the step', async () => {
      const account = await registerAccount(t.app);
      const dir = join(workspacesDir(t.runtime.config), account.org);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(join(dir, 'server.mjs'), STDIO_SERVER);
      const token = `spec-${randomUUID()}`;
      await register(
        account,
        { name: 'spec-stdio', transport: 'stdio', command: 'node', args: ['/workspace/server.mjs', token] },
        true,
      );
      const { runId, run } = await runToEnd(account, graphCalling('spec-stdio', 'whereami'), 'hi');
      expect(run.status).toBe('succeeded');
      expect(run.steps[0].output).toEqual({
        cwd: '/workspace',
        env: ['HOME', 'LANG', 'LC_ALL', 'PATH', 'PWD', 'TERM', 'TZ'],
        uid: 1000,
        network: false,
        text: 'hi',
      });
      expect(processesHolding(token)).toEqual([]);
      const events = await toolEvents(account.org, runId);
      expect(events).toMatchObject([
        { type: 'cp.tool.called', data: { tool: 'whereami', runtime: 'local' }, meta: { runId } },
        { type: 'cp.tool.completed', data: { ok: true } },
      ]);

      // Without a working bubblewrap the server is not started at all.
      process.env.PROOFPANE_BWRAP = join(dir, 'no-such-bwrap');
      try {
        const refused = await runToEnd(account, graphCalling('spec-stdio', 'whereami'), 'hi');
        expect(refused.run.steps[0]).toMatchObject({
          status: 'failed',
          error: { code: 'sandbox_unavailable' },
        });
      } finally {
        delete process.env.PROOFPANE_BWRAP;
      }
      expect(processesHolding(token)).toEqual([]);
    });
  });
}

import { once } from 'node:events';
import { readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActivityReport, argsHash, type GateRequest, type GateResponse } from '../src/governance.js';
import { eventually } from '../src/testing/processes.js';
import { type TempRoot, tempRoot } from '../src/testing/temp-root.js';
import { pairedHome, spawnCli } from './cli-process.js';
import { connectMcp } from './mcp-client.js';

const readJson = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text) as unknown;
};

/** The cloud end of the governed-MCP contract, with a fixed policy. */
function decide(request: GateRequest): GateResponse {
  switch (request.tool) {
    case 'bash':
      return { decision: 'block', reason: 'shell access is not allowed for this scope' };
    case 'edit':
      return { decision: 'hitl_required', reason: 'edits need approval' };
    case 'write':
      return { decision: 'allow', callId: 'call_w', maskedArgs: { ...request.args, content: '[EMAIL]' } };
    case 'grep':
      // What a DLP pass over the arguments makes of an e-mail address: a regex character class.
      return { decision: 'allow', callId: 'call_g', maskedArgs: { ...request.args, pattern: '[EMAIL_1]' } };
    default:
      return { decision: 'allow', callId: `call_${request.tool}` };
  }
}

describe('proofpane-daemon mcp --governed', () => {
  let server: Server;
  let url: string;
  let t: TempRoot;
  const gates: { auth: string | undefined; body: GateRequest }[] = [];
  const activity: { auth: string | undefined; body: ActivityReport; raw: string }[] = [];

  beforeAll(async () => {
    t = await tempRoot();
    await t.file('notes.txt', 'hello\n');
    await t.file('people/contacts.txt', 'jane.doe@example.com, Jane Doe\nMAIL ROOM: ext 12\n');
    server = createServer(async (req, res) => {
      const auth = req.headers.authorization;
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (auth === 'Bearer revoked-token') {
        json(401, { title: 'Unauthorized', detail: 'device revoked' });
        return;
      }
      const body = await readJson(req);
      if (req.url === '/api/mcp/gate') {
        gates.push({ auth, body: body as GateRequest });
        json(200, decide(body as GateRequest));
        return;
      }
      if (req.url === '/api/mcp/activity') {
        activity.push({ auth, body: body as ActivityReport, raw: JSON.stringify(body) });
        res.writeHead(202).end();
        return;
      }
      json(404, {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.cleanup();
  });

  const reportFor = (tool: string) =>
    eventually(() => activity.find((a) => a.body.tool === tool), `activity for ${tool}`);

  it('asks the gate with the device token and obeys allow, block and hitl_required', async () => {
    const paired = await pairedHome(url, 'device-token-7');
    const mcp = await connectMcp(t.dir, { ...paired.env, CP_VENDOR: 'cursor' }, ['--governed']);
    try {
      expect((await mcp.call('read', { path: 'notes.txt' })).content[0]!.text).toBe('hello\n');
      expect(gates[0]).toEqual({
        auth: 'Bearer device-token-7',
        body: { vendor: 'cursor', tool: 'read', args: { path: 'notes.txt' } },
      });

      // Arguments a local tool executes are never rewritten by DLP masks: the file gets what was asked.
      await mcp.call('write', { path: 'contact.txt', content: 'mail jane@example.com' });
      expect(await readFile(join(t.dir, 'contact.txt'), 'utf8')).toBe('mail jane@example.com');
      // A masked pattern would match the unrelated "MAIL ROOM" line instead of the address.
      const found = await mcp.call('grep', { pattern: 'jane.doe@example.com', path: 'people' });
      expect(found.content[0]!.text).toBe('people/contacts.txt:1: jane.doe@example.com, Jane Doe');

      const blocked = await mcp.call('bash', { command: 'touch ran.txt' });
      expect(blocked).toMatchObject({ isError: true });
      expect(blocked.content[0]!.text).toBe(
        'policy_blocked: bash blocked by policy: shell access is not allowed for this scope',
      );
      await expect(stat(join(t.dir, 'ran.txt'))).rejects.toMatchObject({ code: 'ENOENT' });

      const held = await mcp.call('edit', { path: 'notes.txt', old: 'hello', new: 'bye' });
      expect(held.content[0]!.text).toBe('hitl_required: edit requires human approval: edits need approval');
      expect(await readFile(join(t.dir, 'notes.txt'), 'utf8')).toBe('hello\n');

      const read = await reportFor('read');
      expect(read.auth).toBe('Bearer device-token-7');
      expect(read.body).toMatchObject({
        vendor: 'cursor',
        tool: 'read',
        callId: 'call_read',
        decision: 'allow',
        ok: true,
        masked: false,
        argsSha256: argsHash({ path: 'notes.txt' }),
      });
      expect(read.body.resultBytes).toBeGreaterThan(0);
      expect((await reportFor('write')).body).toMatchObject({
        decision: 'allow',
        ok: true,
        masked: false,
        callId: 'call_w',
      });
      expect((await reportFor('grep')).body).toMatchObject({ callId: 'call_g', ok: true, masked: false });
      expect((await reportFor('write')).raw).not.toContain('jane@example.com');
      expect((await reportFor('bash')).body).toMatchObject({
        decision: 'block',
        ok: false,
        errorCode: 'policy_blocked',
        resultBytes: 0,
      });
      expect((await reportFor('edit')).body).toMatchObject({
        decision: 'hitl_required',
        ok: false,
        errorCode: 'hitl_required',
      });
    } finally {
      await mcp.client.close();
      await rm(paired.home, { recursive: true, force: true });
    }
  });

  it('fails closed with device_revoked when the cloud rejects the token', async () => {
    const paired = await pairedHome(url, 'revoked-token');
    const mcp = await connectMcp(t.dir, paired.env, ['--governed']);
    try {
      const result = await mcp.call('write', { path: 'revoked.txt', content: 'x' });
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(
        /^device_revoked: the call was not run: the device token was rejected/,
      );
      await expect(stat(join(t.dir, 'revoked.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await mcp.client.close();
      await rm(paired.home, { recursive: true, force: true });
    }
  });

  it('fails closed with gate_unavailable when the cloud cannot be reached', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const offline = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const paired = await pairedHome(offline, 'device-token-7');
    const mcp = await connectMcp(t.dir, paired.env, ['--governed']);
    try {
      const result = await mcp.call('write', { path: 'offline.txt', content: 'x' });
      expect(result.content[0]!.text).toBe(
        `gate_unavailable: the call was not run: cannot reach the server at ${offline} (ECONNREFUSED)`,
      );
      await expect(stat(join(t.dir, 'offline.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await mcp.client.close();
      await rm(paired.home, { recursive: true, force: true });
    }
  });

  it('refuses to start governed without a pairing (exit 6)', async () => {
    const paired = await pairedHome(url);
    await rm(join(paired.home, 'device.json'));
    const cli = spawnCli(['mcp', '--root', t.dir, '--governed'], paired.env);
    expect((await cli.exited).code).toBe(6);
    expect(cli.stderr()).toContain('this machine is not paired');
    await rm(paired.home, { recursive: true, force: true });
  });
});

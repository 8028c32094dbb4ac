import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const daemonCli = fileURLToPath(new URL('../../../daemon/src/cli.ts', import.meta.url));

type ToolResult = { isError?: boolean; content: { type: string; text: string }[] };

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const driver of testDrivers) {
  describe(`governed MCP calls held for a person, on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let base: string;
    let root: string;
    const homes: string[] = [];
    let client: Client | undefined;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      owner = await registerAccount(t.app);
      const policy = await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(owner.token),
        payload: { hitl: { tools: ['write'], timeoutSeconds: 600 } },
      });
      expect(policy.statusCode).toBe(200);
      root = mkdtempSync(join(tmpdir(), 'pp-mcp-hitl-root-'));
    });
    afterEach(async () => {
      // Closing the client ends the daemon child (and escalates to SIGTERM/SIGKILL if it lingers).
      await client?.close();
      client = undefined;
    });
    afterAll(async () => {
      await t.dispose();
      rmSync(root, { recursive: true, force: true });
      for (const home of homes) rmSync(home, { recursive: true, force: true });
    });

    /** Pairs a device through the API and stores its pairing where a daemon child finds it. */
    const pairDevice = async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pairing-codes',
        headers: auth(owner.token),
      });
      expect(created.statusCode, created.body).toBe(201);
      const code = created.json().code as string;
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code, name: 'laptop', platform: 'linux-x64' },
      });
      expect(paired.statusCode).toBeLessThan(300);
      const { deviceId, token, org } = paired.json() as { deviceId: string; token: string; org: string };
      const home = mkdtempSync(join(tmpdir(), 'pp-mcp-hitl-home-'));
      homes.push(home);
      writeFileSync(join(home, 'device.json'), JSON.stringify({ server: base, deviceId, org, token }), {
        mode: 0o600,
      });
      return { deviceId, token, home };
    };

    const connect = async (home: string) => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', daemonCli, 'mcp', '--root', root, '--governed'],
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          PROOFPANE_DAEMON_HOME: home,
          PROOFPANE_DAEMON_KEYRING: 'off',
          CP_VENDOR: 'cursor',
        },
        stderr: 'pipe',
      });
      client = new Client({ name: 'proofpane-test', version: '0.0.0' });
      await client.connect(transport);
      return client;
    };

    /** The pending request a reviewer sees in Approvals for the held call. */
    const pendingFor = (path: string) =>
      until(async () => {
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/hitl?status=pending&kind=mcp_call',
          headers: auth(owner.token),
        });
        const found = (res.json().requests as { id: string; summary: string; target: string }[]).find((r) =>
          r.summary.includes(path),
        );
        return found;
      }, `the approval request for ${path}`);

    const resolve = (id: string, decision: 'approve' | 'deny') =>
      t.app.inject({
        method: 'POST',
        url: `/api/hitl/${id}/resolve`,
        headers: auth(owner.token),
        payload: { decision },
      });

    const eventsOf = async (types: string[]) =>
      (await t.runtime.store.readOrg({ org: owner.org, limit: 10_000 })).filter((e) =>
        types.includes(e.type),
      );

    const activityFor = (callId: string) =>
      until(async () => {
        const events = await eventsOf(['cp.mcp.activity.recorded']);
        return events.find((e) => (e.data as { callId?: string }).callId === callId);
      }, `the activity report of ${callId}`);

    it('runs the call once an admin approves it, using the approval once', async () => {
      const device = await pairDevice();
      const mcp = await connect(device.home);
      const call = mcp.callTool({ name: 'write', arguments: { path: 'approved.txt', content: 'hello' } });
      const request = await pendingFor('approved.txt');
      expect(request.target).toBe('mcp/write');
      expect(existsSync(join(root, 'approved.txt'))).toBe(false);

      // The request is the device's own: another device and a user token cannot read its status.
      const other = await pairDevice();
      const foreign = await t.app.inject({
        method: 'GET',
        url: `/api/mcp/gate/${request.id}`,
        headers: auth(other.token),
      });
      expect(foreign.statusCode).toBe(404);
      const asUser = await t.app.inject({
        method: 'GET',
        url: `/api/mcp/gate/${request.id}`,
        headers: auth(owner.token),
      });
      expect(asUser.statusCode).toBe(401);
      const stolen = await t.app.inject({
        method: 'POST',
        url: `/api/mcp/gate/${request.id}/consume`,
        headers: auth(other.token),
        payload: { vendor: 'cursor', tool: 'write', args: { path: 'approved.txt', content: 'hello' } },
      });
      expect(stolen.statusCode).toBe(404);

      expect((await resolve(request.id, 'approve')).statusCode).toBe(200);
      const result = (await call) as ToolResult;
      expect(result.isError).toBeFalsy();
      expect(result.content[0]!.text).toBe('Created approved.txt (5 bytes)');
      expect(readFileSync(join(root, 'approved.txt'), 'utf8')).toBe('hello');

      const subject = await t.runtime.store.readSubject({ org: owner.org, subject: `hitl/${request.id}` });
      expect(subject.map((e) => e.type)).toEqual([
        'cp.hitl.requested',
        'cp.hitl.resolved',
        'cp.hitl.consumed',
      ]);
      expect(subject[0]).toMatchObject({
        actor: { kind: 'device', id: device.deviceId },
        data: { kind: 'mcp_call', target: 'mcp/write' },
      });
      expect(subject[2]!.actor).toEqual({ kind: 'device', id: device.deviceId });
      const gate = (await eventsOf(['cp.mcp.gate.decided'])).find(
        (e) => (e.data as { callId: string }).callId === subject[0]!.meta.mcpCallId,
      );
      expect(gate?.data).toMatchObject({ decision: 'hitl_required', tool: 'write' });
      expect((await activityFor(subject[0]!.meta.mcpCallId!)).data).toMatchObject({
        decision: 'hitl_required',
        ok: true,
      });

      // A used approval cannot run the call a second time.
      const again = await t.app.inject({
        method: 'POST',
        url: `/api/mcp/gate/${request.id}/consume`,
        headers: auth(device.token),
        payload: { vendor: 'cursor', tool: 'write', args: { path: 'approved.txt', content: 'hello' } },
      });
      expect(again.statusCode).toBe(403);
      expect(again.json().code).toBe('hitl_used');
    });

    it('refuses the call when the request is denied', async () => {
      const device = await pairDevice();
      const mcp = await connect(device.home);
      const call = mcp.callTool({ name: 'write', arguments: { path: 'denied.txt', content: 'nope' } });
      const request = await pendingFor('denied.txt');
      expect((await resolve(request.id, 'deny')).statusCode).toBe(200);
      const result = (await call) as ToolResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toBe(
        `hitl_denied: write: approval ${request.id} was denied; the call was not run`,
      );
      expect(existsSync(join(root, 'denied.txt'))).toBe(false);
      const subject = await t.runtime.store.readSubject({ org: owner.org, subject: `hitl/${request.id}` });
      expect(subject.map((e) => e.type)).toEqual(['cp.hitl.requested', 'cp.hitl.resolved']);
      expect((await activityFor(subject[0]!.meta.mcpCallId!)).data).toMatchObject({
        decision: 'hitl_required',
        ok: false,
        errorCode: 'hitl_denied',
      });
    });

    it('refuses the call when nobody decides before the deadline', async () => {
      const device = await pairDevice();
      const mcp = await connect(device.home);
      const call = mcp.callTool({ name: 'write', arguments: { path: 'late.txt', content: 'z' } });
      const request = await pendingFor('late.txt');
      await sql`UPDATE hitl_requests SET expires_at = now() - interval '1 second' WHERE id = ${request.id}`.execute(
        t.runtime.database.db,
      );
      expect(await t.app.hitl.expireDue()).toBe(1);
      const result = (await call) as ToolResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/^hitl_expired: write: nobody decided approval /);
      expect(existsSync(join(root, 'late.txt'))).toBe(false);
    });
  });
}

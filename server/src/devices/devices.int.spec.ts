import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const daemonCli = fileURLToPath(new URL('../../../daemon/src/cli.ts', import.meta.url));

function daemon(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', daemonCli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const driver of testDrivers) {
  describe(`devices, tools and MCP on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let base: string;
    let home: string;
    let root: string;
    const children: ChildProcess[] = [];
    beforeAll(async () => {
      t = await createIdentityTestApp({
        driver,
        env: { PROOFPANE_TOOLS_ROOT: mkdtempSync(join(tmpdir(), 'pp-tools-')) },
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      owner = await registerAccount(t.app);
      home = mkdtempSync(join(tmpdir(), 'pp-daemon-home-'));
      root = mkdtempSync(join(tmpdir(), 'pp-daemon-root-'));
      writeFileSync(join(root, 'hello.txt'), 'hello from the device\n');
    });
    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      await t.dispose();
      rmSync(home, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    });

    const api = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
      url: string,
      payload?: object,
      credential = owner.token,
    ) => t.app.inject({ method, url, headers: auth(credential), ...(payload ? { payload } : {}) });
    const newCode = async () => {
      const res = await api('POST', '/api/devices/pairing-codes');
      expect(res.statusCode).toBe(201);
      return res.json().code as string;
    };
    const env = () => ({ PROOFPANE_DAEMON_HOME: home, PROOFPANE_DAEMON_KEYRING: 'off' });

    it('pairs a real daemon with a code that works once, then routes tool calls to it and cuts it off on revoke', async () => {
      const code = await newCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      const pairing = daemon(['pair', '--server', base, '--code', code], env());
      expect(await pairing.exited, pairing.output()).toBe(0);
      const stored = JSON.parse(readFileSync(join(home, 'device.json'), 'utf8'));
      expect(stored).toMatchObject({ org: owner.org, server: base });

      const again = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code, name: 'x', platform: 'linux' },
      });
      expect(again.statusCode).toBe(410);
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code: 'AAAA-AAAA', name: 'x', platform: 'y' },
      });
      expect(wrong.statusCode).toBe(404);

      const run = daemon(['run', '--root', root], env());
      children.push(run.child);
      await until(() => t.app.devices.hub.isConnected(stored.deviceId), 'the daemon to connect');
      const listed = (await api('GET', '/api/devices')).json().devices;
      expect(listed).toEqual([
        expect.objectContaining({ id: stored.deviceId, connected: true, revokedAt: null }),
      ]);

      const calls = await Promise.all(
        Array.from({ length: 10 }, () =>
          api('POST', '/api/tools/call', {
            tool: 'read',
            args: { path: 'hello.txt' },
            deviceId: stored.deviceId,
          }),
        ),
      );
      for (const res of calls) {
        expect(res.statusCode).toBe(200);
        expect(JSON.stringify(res.json().result)).toContain('hello from the device');
      }
      const escaped = await api('POST', '/api/tools/call', {
        tool: 'read',
        args: { path: '../../etc/passwd' },
        deviceId: stored.deviceId,
      });
      expect(escaped.json()).toMatchObject({ ok: false, error: { code: 'path_outside_root' } });

      const events = await t.runtime.store.readOrg({ org: owner.org, limit: 10_000 });
      const completed = events.filter((e) => e.type === 'cp.tool.completed');
      expect(completed).toHaveLength(11);
      expect(events.find((e) => e.type === 'cp.tool.called')?.data).toMatchObject({
        runtime: 'remote',
        deviceId: stored.deviceId,
        tool: 'read',
      });
      expect(JSON.stringify(events)).not.toContain('hello from the device');

      const revoked = await api('DELETE', `/api/devices/${stored.deviceId}`);
      expect(revoked.statusCode).toBe(200);
      const exit = await Promise.race([
        run.exited,
        new Promise((r) => setTimeout(() => r('still running'), 1_000)),
      ]);
      expect(exit).toBe(5);
      const after = await api('POST', '/api/tools/call', {
        tool: 'read',
        args: { path: 'hello.txt' },
        deviceId: stored.deviceId,
      });
      expect(after.statusCode).toBe(409);
    });

    it('refuses an expired pairing code and lets only admins create codes', async () => {
      const code = await newCode();
      await sql`UPDATE device_pairing_codes SET expires_at = now() - interval '1 minute'`.execute(
        t.runtime.database.db,
      );
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code, name: 'late', platform: 'linux' },
      });
      expect(res.statusCode).toBe(410);
      const member = await createKey(t.app, { token: owner.token, role: 'member', name: 'm' });
      expect((await api('POST', '/api/devices/pairing-codes', undefined, member.key)).statusCode).toBe(403);
    });

    it('runs tools in process under the policy gate, per agent scope', async () => {
      const asked = await api('POST', '/api/tools/call', {
        tool: 'write',
        args: { path: 'a.txt', content: 'a' },
      });
      expect(asked.json()).toMatchObject({ code: 'hitl_required' });
      expect((await api('PUT', '/api/policy', { hitl: { localTools: [] } })).statusCode).toBe(200);
      const wrote = await api('POST', '/api/tools/call', {
        tool: 'write',
        args: { path: 'notes/a.txt', content: 'draft' },
      });
      expect(wrote.json()).toMatchObject({ ok: true });
      const read = await api('POST', '/api/tools/call', { tool: 'read', args: { path: 'notes/a.txt' } });
      expect(JSON.stringify(read.json().result)).toContain('draft');

      const policy = await api('PUT', '/api/policy', {
        tools: ['read', 'list'],
        agents: { hr_agent: { tools: ['list'] } },
      });
      expect(policy.statusCode).toBe(200);
      const blocked = await api('POST', '/api/tools/call', {
        tool: 'write',
        args: { path: 'x.txt', content: 'y' },
      });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json()).toMatchObject({ code: 'policy_blocked' });
      const scoped = await t.app.inject({
        method: 'POST',
        url: '/api/tools/call',
        headers: { ...auth(owner.token), 'x-proofpane-agent': 'hr_agent' },
        payload: { tool: 'read', args: { path: 'notes/a.txt' } },
      });
      expect(scoped.statusCode).toBe(403);
      const refusals = (await t.runtime.store.readOrg({ org: owner.org, limit: 10_000 })).filter(
        (e) => e.type === 'cp.tool.refused',
      );
      expect(refusals.map((e) => e.data)).toEqual([
        expect.objectContaining({ tool: 'write', code: 'hitl_required', rulesMatched: ['hitl.localTools'] }),
        expect.objectContaining({ tool: 'write', code: 'policy_blocked' }),
        expect.objectContaining({ tool: 'read', code: 'policy_blocked', agent: 'hr_agent' }),
      ]);
      await api('PUT', '/api/policy', {});
    });

    it('curates MCP servers: members see only published ones; lifecycle is enforced', async () => {
      const member = await createKey(t.app, { token: owner.token, role: 'member', name: 'mcp-reader' });
      const created = await api('POST', '/api/mcp/servers', {
        name: 'files',
        transport: 'stdio',
        command: 'proofpane-daemon',
        args: ['mcp'],
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      expect(created.json().status).toBe('draft');
      expect((await api('GET', '/api/mcp/servers', undefined, member.key)).json().servers).toEqual([]);
      expect((await api('POST', `/api/mcp/servers/${id}/deprecate`)).statusCode).toBe(409);
      expect((await api('POST', `/api/mcp/servers/${id}/publish`)).json().status).toBe('published');
      expect(
        (await api('GET', '/api/mcp/servers', undefined, member.key))
          .json()
          .servers.map((s: { id: string }) => s.id),
      ).toEqual([id]);
      expect((await api('POST', `/api/mcp/servers/${id}/publish`)).statusCode).toBe(409);
      expect(
        (await api('POST', '/api/mcp/servers', { name: 'x', transport: 'http', url: 'ftp://nope' }))
          .statusCode,
      ).toBe(400);
      expect(
        (
          await api('POST', '/api/mcp/servers', {
            name: 'files',
            transport: 'http',
            url: 'https://mcp.example',
          })
        ).statusCode,
      ).toBe(409);
    });

    it('gates and counts MCP activity reported by a device, per vendor', async () => {
      const code = await newCode();
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code, name: 'laptop', platform: 'linux' },
      });
      const { token } = paired.json();
      const gate = await t.app.inject({
        method: 'POST',
        url: '/api/mcp/gate',
        headers: auth(token),
        payload: {
          vendor: 'cursor',
          tool: 'write',
          args: { path: 'a.txt', content: 'mail jane.doe@example.com' },
        },
      });
      expect(gate.statusCode).toBe(200);
      expect(gate.json()).toMatchObject({ decision: 'allow' });
      // The daemon runs the tool with the caller's own arguments: nothing masked comes back to rewrite them.
      expect(JSON.stringify(gate.json())).not.toContain('EMAIL_1');
      const report = (decision: string, ok: boolean) => ({
        vendor: 'cursor',
        tool: 'write',
        decision,
        ok,
        argsSha256: 'a'.repeat(64),
        masked: decision === 'allow',
        resultBytes: 10,
        durationMs: 3,
        time: new Date().toISOString(),
      });
      for (const r of [
        report('allow', true),
        report('allow', true),
        report('block', false),
        report('hitl_required', false),
      ]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/mcp/activity',
          headers: auth(token),
          payload: r,
        });
        expect(res.statusCode).toBe(202);
      }
      const summary = (await api('GET', '/api/mcp/activity')).json();
      expect(summary.byVendor).toEqual([
        {
          vendor: 'cursor',
          calls: 4,
          allowRate: 0.5,
          blockRate: 0.25,
          hitlRate: 0.25,
          maskedCalls: 2,
          failedCalls: 0,
        },
      ]);
      expect(summary.byAgent[0]).toMatchObject({ agent: 'default', calls: 4 });
      const noToken = await t.app.inject({
        method: 'POST',
        url: '/api/mcp/gate',
        payload: { vendor: 'cursor', tool: 'read', args: {} },
      });
      expect(noToken.statusCode).toBe(401);
    });

    it('binds a device to the agent scope its pairing code names, in the row, the events and MCP activity', async () => {
      expect(
        (await api('PUT', '/api/policy', { agents: { cursor_agent: { tools: ['read'] } } })).statusCode,
      ).toBe(200);
      expect((await api('POST', '/api/devices/pairing-codes', { agent: 'Not An Agent' })).statusCode).toBe(
        400,
      );
      const created = await api('POST', '/api/devices/pairing-codes', { agent: 'cursor_agent' });
      expect(created.json()).toMatchObject({ agent: 'cursor_agent' });
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code: created.json().code, name: 'agent laptop', platform: 'linux' },
      });
      const { token, deviceId } = paired.json();
      const listed = (await api('GET', '/api/devices')).json().devices;
      expect(listed.find((d: { id: string }) => d.id === deviceId)).toMatchObject({ agent: 'cursor_agent' });
      const events = await t.runtime.store.readOrg({ org: owner.org, limit: 10_000 });
      expect(
        events.find((e) => e.type === 'cp.device.paired' && e.data.deviceId === deviceId)?.data,
      ).toMatchObject({
        agent: 'cursor_agent',
      });
      const gate = (tool: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/mcp/gate',
          headers: auth(token),
          payload: { vendor: 'claude_desktop', tool, args: { path: 'a.txt' } },
        });
      expect((await gate('read')).json()).toMatchObject({ decision: 'allow' });
      expect((await gate('write')).json()).toMatchObject({ decision: 'block' });
      const activity = await t.app.inject({
        method: 'POST',
        url: '/api/mcp/activity',
        headers: auth(token),
        payload: {
          vendor: 'claude_desktop',
          tool: 'read',
          decision: 'allow',
          ok: true,
          argsSha256: 'b'.repeat(64),
          masked: false,
          resultBytes: 1,
          durationMs: 1,
          time: new Date().toISOString(),
        },
      });
      expect(activity.statusCode).toBe(202);
      const summary = (await api('GET', '/api/mcp/activity')).json();
      expect(summary.byAgent).toEqual(
        expect.arrayContaining([expect.objectContaining({ agent: 'cursor_agent', calls: 1 })]),
      );
    });
  });
}

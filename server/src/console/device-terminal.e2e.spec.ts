import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pageApi as api } from './testing/browser.js';
import { pageHealth } from './testing/page-checks.js';
import { signedInConsole } from './testing/signed-in-console.js';

const OWNER = { email: 'tess.terminal@example.test', password: 'owner password 1', org: 'Terminal Works' };
const WAIT = { timeout: 30_000 };
const daemonCli = fileURLToPath(new URL('../../../daemon/src/cli.ts', import.meta.url));

function daemon(args: string[], home: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', daemonCli, ...args], {
    env: { ...process.env, PROOFPANE_DAEMON_HOME: home, PROOFPANE_DAEMON_KEYRING: 'off' },
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

describe('a live terminal on a paired daemon, from Mission Control', () => {
  const ctx = signedInConsole(OWNER);
  const home = mkdtempSync(join(tmpdir(), 'pp-terminal-home-'));
  const root = mkdtempSync(join(tmpdir(), 'pp-terminal-root-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('runs echo hello on the daemon, audits it, shows a policy refusal, waits for an approval, and says when the device is offline', async () => {
    const { page } = ctx.owner;
    const url = ctx.server.url;
    const code = (await api(page, 'POST', '/api/devices/pairing-codes', {})).body['code'] as string;
    const pairing = daemon(['pair', '--server', url, '--code', code, '--name', 'build-box'], home);
    expect(await pairing.exited, pairing.output()).toBe(0);
    const stored = JSON.parse(readFileSync(join(home, 'device.json'), 'utf8')) as {
      deviceId: string;
      org: string;
    };
    const run = daemon(['run', '--root', root], home);
    children.push(run.child);
    await expect.poll(() => ctx.server.app.devices.hub.isConnected(stored.deviceId), WAIT).toBe(true);
    const blocked = await api(page, 'PUT', '/api/policy', {
      blockedPatterns: [{ name: 'no-shutdown', pattern: 'shutdown-now' }],
    });
    expect(blocked.status).toBe(200);

    await ctx.go(page, '/');
    await page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Open terminal on build-box' }).click();
    const terminal = page.getByTestId('device-terminal');
    const input = terminal.getByLabel('Command for build-box');
    const lines = terminal.getByTestId('terminal-line');

    await input.fill('echo hello');
    await input.press('Enter');
    await lines.nth(0).locator('pre').filter({ hasText: 'hello' }).waitFor(WAIT);
    expect(await lines.nth(0).textContent()).toContain('$ echo hello');
    const events = await ctx.server.runtime.store.readOrg({ org: stored.org, limit: 10_000 });
    const called = events.find(
      (e) => e.type === 'cp.tool.called' && (e.data as { tool?: string }).tool === 'bash',
    );
    expect(called?.data).toMatchObject({ runtime: 'remote', deviceId: stored.deviceId, tool: 'bash' });
    expect(events.some((e) => e.type === 'cp.tool.completed' && e.subject === called?.subject)).toBe(true);

    await input.fill('echo shutdown-now');
    await input.press('Enter');
    await lines.nth(1).getByTestId('terminal-refused').waitFor(WAIT);
    expect(await lines.nth(1).textContent()).toContain('Refused by policy');
    expect(await lines.nth(1).locator('pre').count()).toBe(0);
    const refused = await ctx.server.runtime.store.readOrg({ org: stored.org, limit: 10_000 });
    expect(refused.filter((e) => e.type === 'cp.tool.refused')).toHaveLength(1);

    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('echo shutdown-now');
    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('echo hello');

    const held = await api(page, 'PUT', '/api/policy', {
      blockedPatterns: [{ name: 'no-shutdown', pattern: 'shutdown-now' }],
      hitl: { tools: ['bash'], timeoutSeconds: 600 },
    });
    expect(held.status).toBe(200);
    await input.fill('echo approved-line');
    await input.press('Enter');
    await lines.nth(2).getByTestId('terminal-waiting').waitFor(WAIT);
    const pending = await api(page, 'GET', '/api/hitl?status=pending');
    const [request] = pending.body['requests'] as { id: string; target: string }[];
    expect(request?.target).toBe('tool/bash');
    expect(
      (await api(page, 'POST', `/api/hitl/${request?.id}/resolve`, { decision: 'approve' })).status,
    ).toBe(200);
    await lines.nth(2).locator('pre').filter({ hasText: 'approved-line' }).waitFor(WAIT);

    expect(await pageHealth(page)).toEqual({ overflow: 0, violations: [] });

    run.child.kill('SIGTERM');
    await run.exited;
    await expect.poll(() => ctx.server.app.devices.hub.isConnected(stored.deviceId), WAIT).toBe(false);
    await api(page, 'PUT', '/api/policy', {});
    await input.fill('echo nobody-home');
    await input.press('Enter');
    await lines
      .nth(3)
      .getByText(/Device offline/)
      .waitFor(WAIT);
  }, 240_000);
});

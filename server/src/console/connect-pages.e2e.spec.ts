import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type FakeVendor, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import {
  type Actor,
  pageApi as api,
  ensureConsoleBuilt,
  launchChromium,
  openActor,
  screenshot,
} from './testing/browser.js';
import { type ConsoleServer, startConsoleServer } from './testing/console-server.js';
import { pageHealth, registerInBrowser } from './testing/page-checks.js';

const OWNER = { email: 'cora.connect@example.test', password: 'owner password 1', org: 'Connect Works' };
const MEMBER = { email: 'milo.member@example.test', password: 'member password 1' };
const GOOD_KEY = 'sk-good-key-1234567890';
const WRONG_KEY = 'sk-wrong-key-0987654321';
const WAIT = { timeout: 20_000 };

describe('the Connect pages in Chromium against a real server', () => {
  let server: ConsoleServer;
  let openai: FakeVendor;
  let browser: Browser;
  let owner: Actor;
  const go = (page: Page, path: string) => page.goto(`${server.url}${path}`);

  /** Pairs a device as `proofpane-daemon pair` does, with the code the page shows. */
  async function pairDevice(code: string, name: string) {
    const response = await fetch(`${server.url}/api/devices/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name, platform: 'linux-x64' }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { deviceId: string; token: string };
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    // The vendor answers only the good key, as OpenAI answers 401 to a wrong one.
    openai = await startFakeOpenAI({
      respond: (request) =>
        request.headers.authorization === `Bearer ${GOOD_KEY}`
          ? undefined
          : { status: 401, text: 'Incorrect API key provided' },
    });
    // No platform key for OpenAI, so the Playground is refused for want of one; the OpenAI-compatible
    // server is the local fake, which an org key set on the page reaches.
    server = await startConsoleServer({ env: { OPENAI_COMPATIBLE_BASE_URL: `${openai.url}/v1` } });
    browser = await launchChromium();
    owner = await openActor(browser);
    await registerInBrowser(owner.page, server.url, OWNER);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await openai?.close();
  });

  it('leads from a missing key in the Playground to Provider keys, where a key is saved, tested, rotated and removed unseen', async () => {
    const { page } = owner;
    await go(page, '/playground');
    await page.getByLabel('Model').fill('openai/gpt-4o-mini');
    await page.getByLabel('Message').fill('Hello');
    await page.getByRole('button', { name: 'Send' }).click();
    const refusal = page.getByTestId('turn-error');
    await refusal.waitFor(WAIT);
    expect(await refusal.textContent()).not.toContain('PUT /api/provider-keys');
    await refusal.getByRole('link', { name: /Provider keys page/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Provider keys' }).waitFor(WAIT);
    expect(new URL(page.url()).hash).toBe('#openai');

    const vendor = page.locator('[data-testid="vendor"][data-provider="openai-compatible"]');
    await vendor.getByLabel('API key').fill(WRONG_KEY);
    await vendor.getByRole('button', { name: 'Save key' }).click();
    await vendor.getByText(/^Saved: calls to OpenAI-compatible server/).waitFor(WAIT);
    expect(await vendor.getByTestId('key-state').textContent()).toContain('Key set');
    expect(await vendor.getByLabel(/New key/).inputValue()).toBe('');
    expect(await page.content()).not.toContain(WRONG_KEY);

    await vendor.getByLabel('Model to test with').fill('openai-compatible/llama3');
    await vendor.getByRole('button', { name: 'Test with a live call' }).click();
    const result = vendor.getByTestId('test-result');
    await result.waitFor(WAIT);
    expect(await result.textContent()).toMatch(/The test call failed/);
    expect(openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${WRONG_KEY}`);

    const before = await vendor.getByTestId('fingerprint').textContent();
    await vendor.getByLabel(/New key/).fill(GOOD_KEY);
    await vendor.getByRole('button', { name: 'Rotate key' }).click();
    await vendor.getByText(/^Rotated: calls to OpenAI-compatible server/).waitFor(WAIT);
    expect(await vendor.getByTestId('fingerprint').textContent()).not.toBe(before);
    await vendor.getByRole('button', { name: 'Test with a live call' }).click();
    await expect
      .poll(() => vendor.getByTestId('test-result').textContent(), WAIT)
      .toMatch(/^The key works: openai-compatible\/llama3/);
    expect(openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${GOOD_KEY}`);
    expect(await page.content()).not.toContain(GOOD_KEY);
    // The live test is a governed call like any other: it is in the audit log.
    const audited = await api(page, 'GET', '/api/audit?type=cp.llm.call.completed&limit=10');
    expect((audited.body.events as unknown[]).length).toBeGreaterThan(0);

    page.once('dialog', (dialog) => void dialog.accept());
    await vendor.getByRole('button', { name: 'Remove key' }).click();
    await vendor.getByText('The OpenAI-compatible server key was removed.').waitFor(WAIT);
    expect(await vendor.getByTestId('key-state').textContent()).toContain('No key');
  });

  it('pairs a device with the code and command shown, then renames and revokes it, showing its connection', async () => {
    const { page } = owner;
    await go(page, '/devices');
    await page.getByText('No devices yet.').waitFor(WAIT);
    await page.getByLabel('Agent scope (optional)').fill('code_agent');
    await page.getByRole('button', { name: 'Create pairing code' }).click();
    const command = (await page.getByTestId('pair-command').textContent()) ?? '';
    const match = /^proofpane-daemon pair --server (\S+) --code (\S+)$/.exec(command);
    expect(match?.[1]).toBe(server.url);
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^(10:00|9:[0-5]\d)$/);

    const paired = await pairDevice(match![2]!, 'build-box');
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/devices/ws`, {
      headers: { authorization: `Bearer ${paired.token}` },
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    await page.reload();
    const device = page.locator(`[data-testid="device"][data-device="${paired.deviceId}"]`);
    await device.getByTestId('device-state').filter({ hasText: 'Connected' }).waitFor(WAIT);
    expect(await device.textContent()).toContain('agent code_agent');

    await device.getByRole('button', { name: 'Rename' }).click();
    await device.getByLabel('New name for build-box').fill('Build server');
    await device.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('"build-box" is now called "Build server".').waitFor(WAIT);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    page.once('dialog', (dialog) => void dialog.accept());
    await device.getByRole('button', { name: 'Revoke' }).click();
    await device.getByTestId('device-state').filter({ hasText: 'Revoked' }).waitFor(WAIT);
    await closed;
  });

  it('pairs a desktop approver with the address and code shown and lists it', async () => {
    const { page } = owner;
    await go(page, '/approvers');
    await page.getByText('No desktop approver is paired yet.').waitFor(WAIT);
    await page.getByRole('button', { name: 'Create pairing code' }).click();
    expect(await page.getByTestId('approver-server').textContent()).toBe(server.url);
    const code = (await page.getByTestId('approver-pairing-code').textContent()) ?? '';
    const response = await fetch(`${server.url}/api/hitl/approvers/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name: 'Ada’s laptop' }),
    });
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as { token: string };
    await page.getByTestId('approver').filter({ hasText: 'Ada’s laptop' }).waitFor(WAIT);
    expect(await page.content()).not.toContain(token);
  });

  it('creates an API key with SDK snippets for this origin whose curl command works as shown', async () => {
    const { page } = owner;
    await go(page, '/api-keys');
    await page.getByLabel('Name').fill('ci-pipeline');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const key = ((await page.getByTestId('new-api-key').textContent()) ?? '').trim();
    expect(key.length).toBeGreaterThan(20);
    expect(await page.getByTestId('snippet').textContent()).toContain(`baseURL: "${server.url}/v1"`);
    await page.getByRole('button', { name: 'Anthropic SDK' }).click();
    expect(await page.getByTestId('snippet').textContent()).toContain(`baseURL: "${server.url}"`);
    await page.getByRole('button', { name: 'curl', exact: true }).click();
    const curl = (await page.getByTestId('snippet').textContent()) ?? '';
    expect(curl).toContain(key);
    // Asynchronously: the server answering curl runs in this process.
    const { stdout } = await promisify(execFile)('sh', ['-c', curl], { encoding: 'utf8' });
    const answer = JSON.parse(stdout) as {
      choices: { message: { content: string } }[];
    };
    expect(answer.choices[0]?.message.content).toContain('[demo]');
    await page.getByTestId('api-key').filter({ hasText: 'ci-pipeline' }).waitFor(WAIT);
  });

  it('keeps Members within 1280 px once a key and an invitation exist', async () => {
    const { page } = owner;
    const invited = await api(page, 'POST', '/api/invitations', { email: MEMBER.email, role: 'member' });
    expect(invited.status).toBe(201);
    await go(page, '/members');
    await page.getByRole('cell', { name: MEMBER.email }).waitFor(WAIT);
    const health = await pageHealth(page);
    expect(health).toEqual({ overflow: 0, violations: [] });

    const link = (invited.body.delivery as { link: string }).link;
    const member = await openActor(browser);
    await member.page.goto(new URL(new URL(link).pathname + new URL(link).hash, server.url).toString());
    await member.page.getByLabel('Password').fill(MEMBER.password);
    await member.page.getByRole('button', { name: 'Accept and join' }).click();
    await member.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    await member.context.close();
  });

  it('takes an MCP server from draft to published to deprecated, and members see published ones only', async () => {
    const { page } = owner;
    await go(page, '/mcp');
    await page.getByLabel('Name').fill('git');
    await page.getByLabel('Command', { exact: true }).fill('npx');
    await page.getByLabel(/^Arguments/).fill('-y @modelcontextprotocol/server-git');
    await page.getByRole('button', { name: 'Register as draft' }).click();
    const git = page.getByTestId('mcp-server').filter({ hasText: 'git' });
    await git.getByTestId('mcp-status').filter({ hasText: 'draft' }).waitFor(WAIT);

    const member = await openActor(browser);
    await go(member.page, '/login');
    await member.page.getByLabel('Email').fill(MEMBER.email);
    await member.page.getByLabel('Password').fill(MEMBER.password);
    await member.page.getByRole('button', { name: 'Sign in' }).click();
    await member.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    await go(member.page, '/mcp');
    await member.page.getByText('No MCP servers published yet.').waitFor(WAIT);
    expect(await member.page.getByRole('button', { name: 'Register as draft' }).count()).toBe(0);

    await git.getByRole('button', { name: 'Publish git' }).click();
    await git.getByTestId('mcp-status').filter({ hasText: 'published' }).waitFor(WAIT);
    await member.page.reload();
    await member.page.getByTestId('mcp-server').filter({ hasText: 'git' }).waitFor(WAIT);
    expect(await member.page.getByRole('button', { name: /Deprecate/ }).count()).toBe(0);

    await git.getByRole('button', { name: 'Deprecate git' }).click();
    await git.getByTestId('mcp-status').filter({ hasText: 'deprecated' }).waitFor(WAIT);
    await member.page.reload();
    await member.page.getByText('No MCP servers published yet.').waitFor(WAIT);
    expect(member.errors).toEqual([]);
    await member.context.close();
  });

  it('charts MCP activity per vendor and agent scope from the reported calls', async () => {
    const { page } = owner;
    const codes = await Promise.all(
      ['code_agent', undefined].map((agent) =>
        api(page, 'POST', '/api/devices/pairing-codes', agent ? { agent } : {}),
      ),
    );
    const [scoped, plain] = await Promise.all([
      pairDevice(codes[0]!.body.code as string, 'scoped'),
      pairDevice(codes[1]!.body.code as string, 'plain'),
    ]);
    const report = (token: string, vendor: string, decision: string, masked: boolean) =>
      fetch(`${server.url}/api/mcp/activity`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          vendor,
          tool: 'read',
          decision,
          ok: decision === 'allow',
          argsSha256: 'a'.repeat(64),
          masked,
          resultBytes: 10,
          durationMs: 3,
          time: new Date().toISOString(),
        }),
      }).then((r) => r.status);
    expect(
      await Promise.all([
        report(scoped.token, 'cursor', 'allow', true),
        report(scoped.token, 'cursor', 'block', false),
        report(plain.token, 'claude_desktop', 'hitl_required', false),
      ]),
    ).toEqual([202, 202, 202]);

    await go(page, '/mcp-activity');
    await page.getByTestId('mcp-vendor-row').filter({ hasText: 'cursor' }).waitFor(WAIT);
    expect(await page.getByTestId('mcp-agent-row').filter({ hasText: 'code_agent' }).textContent()).toContain(
      '50%',
    );
    await page
      .getByTestId('window-calls')
      .filter({ hasText: /^3 calls in the last 24h/ })
      .waitFor(WAIT);
    expect(await page.getByTestId('mcp-chart').locator('canvas').count()).toBeGreaterThan(0);
    await page.getByLabel('Agent scope', { exact: true }).selectOption('code_agent');
    await page
      .getByTestId('window-calls')
      .filter({ hasText: /^2 calls in the last 24h in scope code_agent/ })
      .waitFor(WAIT);
    await page.getByLabel('Vendor', { exact: true }).selectOption('claude_desktop');
    await page
      .getByTestId('window-calls')
      .filter({ hasText: /^0 calls/ })
      .waitFor(WAIT);
  });

  const pages = [
    { path: '/provider-keys', ready: 'Provider keys' },
    { path: '/devices', ready: 'Devices' },
    { path: '/approvers', ready: 'Desktop approvers' },
    { path: '/api-keys', ready: 'API keys' },
    { path: '/mcp', ready: 'MCP servers' },
    { path: '/mcp-activity', ready: 'MCP activity' },
    { path: '/members', ready: 'Members' },
  ];
  for (const width of [1280, 390]) {
    it(`lays out each Connect page at ${width} px with no overflow, console errors or serious axe violations`, async () => {
      const viewer = await openActor(browser, { width, height: 900 });
      await go(viewer.page, '/login');
      await viewer.page.getByLabel('Email').fill(OWNER.email);
      await viewer.page.getByLabel('Password').fill(OWNER.password);
      await viewer.page.getByRole('button', { name: 'Sign in' }).click();
      await viewer.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
      const found: Record<string, unknown> = {};
      for (const p of pages) {
        await go(viewer.page, p.path);
        await viewer.page.getByRole('heading', { level: 1, name: p.ready }).waitFor(WAIT);
        const health = await pageHealth(viewer.page);
        if (health.overflow > 0 || health.violations.length) found[p.path] = health;
        await screenshot(viewer.page, `connect${p.path.replaceAll('/', '-')}-${width}`);
      }
      expect(found).toEqual({});
      expect(viewer.errors).toEqual([]);
      await viewer.context.close();
    }, 120_000);
  }
});

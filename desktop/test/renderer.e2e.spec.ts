import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleRenderer } from '../scripts/bundle.js';
import { installFakePreload, type Scenario } from './fake-preload.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser: Browser;
let pageUrl: string;
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'approver-renderer-'));
  pageUrl = pathToFileURL(await bundleRenderer(outDir)).href;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  rmSync(outDir, { recursive: true, force: true });
});

const long = { org: 'org_acme', orgName: 'Acme', countdownMs: 600_000 };

async function open(scenario: Scenario): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.addInitScript(installFakePreload, scenario);
  await page.goto(pageUrl);
  return { page, problems };
}

const calls = (page: Page) => page.evaluate(() => (window as unknown as { __calls: unknown[] }).__calls);

describe('approver window', () => {
  it('shows the request and sends Approve, then moves to the next one', async () => {
    const { page, problems } = await open({
      countdownSeconds: 60,
      items: [
        { ...long, id: 'hitl_1', summary: 'Transfer 1200 EUR' },
        { ...long, id: 'hitl_2', summary: 'Delete staging bucket', countdownMs: 700_000 },
      ],
    });
    await expect.poll(() => page.getByTestId('dialog-title').textContent()).toBe('Transfer 1200 EUR');
    expect(await page.getByTestId('dialog-org').textContent()).toBe('Acme');
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^Denies in \d+ s$/);
    await page.getByTestId('approve').click();
    await expect.poll(() => page.getByTestId('dialog-title').textContent()).toBe('Delete staging bucket');
    expect(await calls(page)).toEqual([
      { method: 'resolve', input: { org: 'org_acme', id: 'hitl_1', decision: 'approve' } },
    ]);
    await expect.poll(() => page.getByTestId('activity').textContent()).toContain('approved by you');
    expect(problems).toEqual([]);
    const inlineRan = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return (window as unknown as { __inline?: boolean }).__inline === true;
    });
    expect(inlineRan).toBe(false);
    await page.close();
  });

  it('sends Deny and Approve & remember with the right flags', async () => {
    const { page } = await open({
      countdownSeconds: 60,
      items: [
        { ...long, id: 'hitl_1', summary: 'First' },
        { ...long, id: 'hitl_2', summary: 'Second', countdownMs: 700_000 },
      ],
    });
    await expect.poll(() => page.getByTestId('dialog-title').textContent()).toBe('First');
    await page.getByTestId('deny').click();
    await expect.poll(() => page.getByTestId('dialog-title').textContent()).toBe('Second');
    await page.getByTestId('remember').click();
    await expect.poll(() => page.getByTestId('dialog').isHidden()).toBe(true);
    expect(await calls(page)).toEqual([
      { method: 'resolve', input: { org: 'org_acme', id: 'hitl_1', decision: 'deny' } },
      { method: 'resolve', input: { org: 'org_acme', id: 'hitl_2', decision: 'approve', remember: true } },
    ]);
    await page.close();
  });

  it('denies by default when the countdown reaches zero', async () => {
    const { page } = await open({
      countdownSeconds: 2,
      items: [{ ...long, id: 'hitl_9', summary: 'Run shell command', countdownMs: 1_500 }],
    });
    await expect.poll(() => page.getByTestId('dialog').isVisible()).toBe(true);
    await expect
      .poll(() => calls(page), { timeout: 10_000 })
      .toEqual([
        { method: 'resolve', input: { org: 'org_acme', id: 'hitl_9', decision: 'deny', timedOut: true } },
      ]);
    await expect.poll(() => page.getByTestId('dialog').isHidden()).toBe(true);
    expect(await page.getByTestId('notice').isHidden()).toBe(true);
    await page.close();
  });

  it('closes the dialog when another approver resolves the request', async () => {
    const { page } = await open({
      countdownSeconds: 60,
      items: [{ ...long, id: 'hitl_5', summary: 'Send mail' }],
    });
    await expect.poll(() => page.getByTestId('dialog').isVisible()).toBe(true);
    await page.evaluate(() =>
      (window as unknown as { __resolveElsewhere: (o: string, i: string) => void }).__resolveElsewhere(
        'org_acme',
        'hitl_5',
      ),
    );
    await expect.poll(() => page.getByTestId('dialog').isHidden()).toBe(true);
    expect(await page.getByTestId('notice').textContent()).toContain('resolved by another approver');
    expect(await page.getByTestId('activity').textContent()).toContain('approved by usr_bob');
    expect(await calls(page)).toEqual([]);
    await page.close();
  });

  it('explains a refused pairing', async () => {
    const message =
      'This computer has no keyring the app can use (the secret-storage backend is "basic_text")';
    const { page } = await open({
      countdownSeconds: 60,
      items: [],
      pairOutcome: { ok: false, code: 'insecure_storage', message },
    });
    await page.fill('#pair-server', 'https://pp.example.com');
    await page.fill('#pair-code', 'K7QF-2M9X');
    await page.fill('#pair-name', 'Laptop');
    await page.getByTestId('pair').click();
    await expect.poll(() => page.getByTestId('pair-message').textContent()).toBe(message);
    expect(await calls(page)).toEqual([
      { method: 'pair', input: { serverUrl: 'https://pp.example.com', code: 'K7QF-2M9X', name: 'Laptop' } },
    ]);
    await page.close();
  });

  it('tallies the recent decisions over the activity panel', async () => {
    const { page, problems } = await open({
      countdownSeconds: 60,
      items: [
        { ...long, id: 'hitl_a', summary: 'Rotate the key' },
        { ...long, id: 'hitl_b', summary: 'Drop the table', countdownMs: 700_000 },
      ],
    });
    await expect.poll(() => page.getByTestId('dialog-title').textContent()).toBe('Rotate the key');
    expect(await page.getByTestId('activity-summary').textContent()).toBe('');
    await page.getByTestId('approve').click();
    await expect.poll(() => page.getByTestId('dialog-title').textContent()).toBe('Drop the table');
    await page.getByTestId('deny').click();
    await expect
      .poll(() => page.getByTestId('activity-summary').textContent())
      .toBe('Last 2 decisions: 1 approved · 1 denied');
    const rows = await page.getByTestId('activity').locator('li').allTextContents();
    expect(rows[0]).toContain('Drop the table — denied by you');
    expect(rows[1]).toContain('Rotate the key — approved by you');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows an org whose approver was revoked as unpaired', async () => {
    const { page } = await open({ countdownSeconds: 60, items: [], accountStatus: 'repair' });
    await expect
      .poll(() => page.getByTestId('accounts').textContent())
      .toContain('Acme · unpaired — pair again');
    expect(await page.getByTestId('accounts').textContent()).toContain('Pair this org again');
    await page.close();
  });
});

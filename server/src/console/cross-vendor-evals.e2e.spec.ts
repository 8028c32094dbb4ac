import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePublishedKeys, verifyPack } from '@proofpane/evidence-verifier';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  ensureConsoleBuilt,
  launchChromium,
  openActor,
  screenshot,
  seriousA11yViolations,
} from './testing/browser.js';
import { type ConsoleServer, startConsoleServer } from './testing/console-server.js';

const OWNER = { email: 'vera.vendors@example.test', password: 'owner password 1', org: 'Vendor Bench' };
const WAIT = { timeout: 20_000 };

// Offline: the demo provider answers both demo models alike, and OpenAI has no key here, so its every
// answer fails: each case has one identical pair (info) and two pairs with a failed provider (critical).
const PROVIDERS = 'demo/demo\ndemo/demo-large\nopenai/gpt-4o-mini';
const CASES = [
  {
    input: [{ role: 'user', content: 'Refund order 1234? Answer as JSON.' }],
    decisionFields: ['$.approve'],
    outputSchema: {
      type: 'object',
      required: ['approve'],
      properties: { approve: { type: 'boolean' }, reason: { type: 'string' } },
    },
  },
  { input: [{ role: 'user', content: 'Which city is the capital of France?' }] },
];

describe('cross-vendor evals in the console, in Chromium against a real server', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let owner: Actor;
  let suitePath = '';
  let runPath = '';

  const actor = (size: { width?: number; height?: number } = {}) => openActor(browser, size);
  const go = (page: Page, path: string) => page.goto(`${server.url}${path}`);

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startConsoleServer();
    browser = await launchChromium();
    owner = await actor();
    await go(owner.page, '/register');
    await owner.page.getByLabel('Organisation name').fill(OWNER.org);
    await owner.page.getByLabel('Work email').fill(OWNER.email);
    await owner.page.getByLabel(/^Password/).fill(OWNER.password);
    await owner.page.getByRole('button', { name: 'Create organisation' }).click();
    await owner.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a suite from the form, naming what to fix, runs it and shows the matrix live with a diff on click', async () => {
    const { page } = owner;
    await page
      .getByRole('navigation', { name: 'Primary' })
      .getByRole('link', { name: 'Cross-vendor evals' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Cross-vendor evals' }).waitFor(WAIT);
    await page.getByText('No suites yet.').waitFor(WAIT);

    await page.getByRole('button', { name: 'New suite' }).click();
    await page.getByLabel('Name').fill('Refund desk');
    await page.getByLabel(/^Providers/).fill('openai');
    await page.getByRole('button', { name: 'Create suite' }).click();
    await page.getByText('write one provider/model per line').waitFor(WAIT);

    // The server refuses a decision field outside the path syntax, naming the field.
    await page.getByLabel(/^Providers/).fill(PROVIDERS);
    await page
      .getByLabel(/^Cases/)
      .fill(JSON.stringify([{ ...CASES[0], decisionFields: ['approve'] }, CASES[1]], null, 2));
    await page.getByRole('button', { name: 'Create suite' }).click();
    const refused = page.getByTestId('problem');
    await refused.waitFor(WAIT);
    expect(await refused.getAttribute('data-code')).toBe('cross_vendor_suite_invalid');
    expect(await refused.textContent()).toContain('Cases #1 › decision fields #1');
    expect(await refused.textContent()).not.toContain('body.');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByLabel(/^Cases/).fill(JSON.stringify(CASES, null, 2));
    await page.getByRole('button', { name: 'Create suite' }).click();
    await page.getByRole('heading', { level: 1, name: 'Refund desk' }).waitFor(WAIT);
    suitePath = new URL(page.url()).pathname;
    await page.getByText('No runs yet.').waitFor(WAIT);

    await page.getByRole('button', { name: 'Start a run' }).click();
    await page.getByRole('heading', { level: 1, name: /^Cross-vendor run/ }).waitFor(WAIT);
    runPath = new URL(page.url()).pathname;
    await page.getByTestId('run-status').filter({ hasText: 'succeeded' }).waitFor(WAIT);
    await page.locator('[data-testid="matrix-cell"]').nth(5).waitFor(WAIT);
    const severities = await page
      .locator('[data-testid="matrix-cell"]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-severity')));
    expect(severities).toEqual(['info', 'critical', 'critical', 'info', 'critical', 'critical']);
    expect(await page.getByTestId('severity-counts').textContent()).toMatch(/4 critical.*0 warning.*2 info/s);

    const cell = page.getByRole('button', {
      name: 'Case 1, demo/demo versus openai/gpt-4o-mini: critical, a provider failed',
    });
    await cell.click();
    const detail = page.getByTestId('pair-detail');
    await detail.waitFor(WAIT);
    expect(await detail.textContent()).toContain('a provider failed');
    expect(await detail.textContent()).toMatch(/failed/);
    await page
      .getByRole('button', {
        name: 'Case 2, demo/demo versus demo/demo-large: info, the answers are identical',
      })
      .click();
    await detail.filter({ hasText: 'the answers are identical' }).waitFor(WAIT);

    // The tree: the suite run, two cases, three providers each.
    await page.getByTestId('run-tree').waitFor(WAIT);
    for (let i = 0; (await page.locator('[data-testid="run-tree"] li').count()) < 9; i++) {
      expect(i, 'the run tree never filled').toBeLessThan(200);
      await page.waitForTimeout(100);
    }
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'cross-vendor-run');

    // The owner exports the run's Evidence Pack, which verifies against the published keys.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Evidence Pack' }).click(),
    ]);
    const saved = join(mkdtempSync(join(tmpdir(), 'cv-pack-')), 'pack.zip');
    await download.saveAs(saved);
    const keys = parsePublishedKeys(
      await (await fetch(`${server.url}/.well-known/proofpane-keys.json`)).text(),
    );
    if ('error' in keys) throw new Error(keys.error);
    const report = await verifyPack(new Uint8Array(readFileSync(saved)), {
      trust: { kind: 'list', keys: keys.keys },
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.valid).toBe(true);
    await page.getByTestId('pack-message').waitFor(WAIT);

    await page.getByRole('link', { name: '← Refund desk' }).click();
    await page.getByTestId('run-row').first().waitFor(WAIT);
    expect(owner.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  }, 120_000);

  for (const width of [1280, 390]) {
    it(`lays the pages out at ${width} px without horizontal overflow or serious axe violations`, async () => {
      expect(runPath).not.toBe('');
      const viewer = await actor({ width });
      await go(viewer.page, '/login');
      await viewer.page.getByLabel('Email').fill(OWNER.email);
      await viewer.page.getByLabel('Password').fill(OWNER.password);
      await viewer.page.getByRole('button', { name: 'Sign in' }).click();
      await viewer.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
      const pages = [
        { path: '/evals', shown: '[data-testid="suite-row"]' },
        { path: suitePath, shown: '[data-testid="run-row"]' },
        { path: runPath, shown: '[data-testid="matrix-cell"]' },
      ];
      const overflow: Record<string, number> = {};
      const found: Record<string, unknown> = {};
      for (const p of pages) {
        await go(viewer.page, p.path);
        await viewer.page.locator(p.shown).first().waitFor(WAIT);
        const extra = await viewer.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (extra > 0) overflow[p.path] = extra;
        const violations = await seriousA11yViolations(viewer.page);
        if (violations.length) found[p.path] = violations;
        await screenshot(viewer.page, `cross-vendor-${p.path.split('/')[2] ?? 'list'}-${width}`);
      }
      expect(overflow).toEqual({});
      expect(found).toEqual({});
      expect(viewer.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
      await viewer.context.close();
    }, 120_000);
  }
});

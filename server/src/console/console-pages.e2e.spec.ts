import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const OWNER = { email: 'pia.pages@example.test', password: 'owner password 1', org: 'Pages Works' };
const WAIT = { timeout: 20_000 };

describe('Playground, Policies and Agent Runs, in Chromium against a real server', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let owner: Actor;
  const go = (page: Page, path: string) => page.goto(`${server.url}${path}`);

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startConsoleServer();
    browser = await launchChromium();
    owner = await openActor(browser);
    await registerInBrowser(owner.page, server.url, OWNER);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('tells how to start a run with a header value the gateway accepts', async () => {
    const { page } = owner;
    await go(page, '/runs');
    const example = page.getByTestId('run-header-example');
    await example.waitFor(WAIT);
    const headers = Object.fromEntries(
      ((await example.textContent()) ?? '')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(': ').map((part) => part.trim()) as [string, string]),
    );
    expect(Object.keys(headers)).toContain('x-proofpane-run-id');
    const sent = await page.evaluate(async (runHeaders) => {
      const token = JSON.parse(localStorage.getItem('proofpane.session') ?? '{}').token as string;
      const response = await fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...runHeaders },
        body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] }),
      });
      return response.status;
    }, headers);
    expect(sent).toBe(200);
    await expect
      .poll(
        async () => ((await api(page, 'GET', '/api/runs?window=24h')).body.runs as unknown[]).length,
        WAIT,
      )
      .toBeGreaterThan(0);
    await page.reload();
    await page
      .getByRole('link', { name: headers['x-proofpane-run-name'] ?? headers['x-proofpane-run-id']! })
      .waitFor(WAIT);
    expect(owner.errors).toEqual([]);
  });

  it('keeps the newest reply in view and shows the masked prompt the provider saw beside the answer', async () => {
    const { page } = owner;
    await go(page, '/playground');
    for (let i = 1; i <= 5; i++) {
      await page
        .getByLabel('Message')
        .fill(`Message number ${i}, a fairly long line to fill the chat list quickly.`);
      await page.getByRole('button', { name: 'Send' }).click();
      await page
        .getByTestId('turn-assistant')
        .nth(i - 1)
        .waitFor(WAIT);
    }
    await page.getByLabel('Message').fill('Mail the summary to jane.doe@example.com please');
    await page.getByRole('button', { name: 'Send' }).click();
    const last = page.getByTestId('turn-assistant').nth(5);
    await last.waitFor(WAIT);
    const masked = last.getByTestId('masked-prompt');
    await masked.waitFor(WAIT);
    const text = (await masked.textContent()) ?? '';
    expect(text).toContain('Mail the summary to');
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).toContain('EMAIL ×1');
    // The list scrolled to its end: the newest reply's bottom is inside the list's visible box.
    const inView = await page.getByTestId('turns').evaluate((list) => {
      const box = list.getBoundingClientRect();
      const newest = list.lastElementChild!.getBoundingClientRect();
      return (
        list.scrollHeight > list.clientHeight && newest.bottom <= box.bottom + 1 && newest.top >= box.top - 1
      );
    });
    expect(inView).toBe(true);
    expect(owner.errors).toEqual([]);
  });

  it('edits common settings in a form, says when the JSON is invalid, and dry-runs again after a save', async () => {
    const { page } = owner;
    await go(page, '/policies');
    await page.getByRole('button', { name: 'Dry run' }).waitFor(WAIT);
    await page.getByLabel('Prompt', { exact: true }).fill('Write to jane.doe@example.com');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.locator('[data-testid="decision"]', { hasText: 'allow' }).waitFor(WAIT);

    // The form holds the common settings; saving one changes the document and re-runs the dry run.
    await page.getByLabel(/^Models/).fill('openai/*');
    await page.getByLabel(/^Models/).dispatchEvent('change');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText(/^Saved as version \d+/).waitFor(WAIT);
    await page.locator('[data-testid="decision"]', { hasText: 'block' }).waitFor(WAIT);
    const saved = (await api(page, 'GET', '/api/policy')).body.document as { models: string[] };
    expect(saved.models).toEqual(['openai/*']);

    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    await page.getByLabel('Policy document (JSON)').fill('{ "models": [');
    await page.getByRole('button', { name: 'Form', exact: true }).click();
    await page.getByTestId('json-invalid').waitFor(WAIT);
    const selects = page.getByTestId('dlp-select');
    expect(await selects.first().isDisabled()).toBe(true);
    const shown = await selects.evaluateAll((all) =>
      all.map((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent),
    );
    expect(new Set(shown)).toEqual(new Set(['JSON invalid']));
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByTestId('json-invalid').waitFor({ state: 'detached', ...WAIT });
    await page.getByLabel(/^Models/).fill('*');
    await page.getByLabel(/^Models/).dispatchEvent('change');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('[data-testid="decision"]', { hasText: 'allow' }).waitFor(WAIT);
    expect(owner.errors).toEqual([]);
  });

  for (const width of [1280, 390]) {
    it(`lays out Playground, Policies, Agent Runs and Members at ${width} px with no overflow or serious axe violations`, async () => {
      const viewer = await openActor(browser, { width, height: 900 });
      await go(viewer.page, '/login');
      await viewer.page.getByLabel('Email').fill(OWNER.email);
      await viewer.page.getByLabel('Password').fill(OWNER.password);
      await viewer.page.getByRole('button', { name: 'Sign in' }).click();
      await viewer.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
      const found: Record<string, unknown> = {};
      for (const [path, ready] of [
        ['/playground', 'Playground'],
        ['/policies', 'Policies'],
        ['/runs', 'Agent Runs'],
        ['/members', 'Members'],
      ] as const) {
        await go(viewer.page, path);
        await viewer.page.getByRole('heading', { level: 1, name: ready }).waitFor(WAIT);
        const health = await pageHealth(viewer.page);
        if (health.overflow > 0 || health.violations.length) found[path] = health;
        await screenshot(viewer.page, `pages${path.replaceAll('/', '-')}-${width}`);
      }
      expect(found).toEqual({});
      expect(viewer.errors).toEqual([]);
      await viewer.context.close();
    }, 120_000);
  }
});

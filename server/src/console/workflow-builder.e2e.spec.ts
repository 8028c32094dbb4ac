import type { Page } from 'playwright-core';
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
import { overflowingElements, pageHealth, registerInBrowser } from './testing/page-checks.js';

const OWNER = { org: 'Canvas Builders', email: 'cara.canvas@example.test', password: 'owner password 1' };
const WAIT = { timeout: 20_000 };
/** A workflow run on the demo provider ends in seconds; a loaded machine gets more time, never a bound. */
const RUN_WAIT = { timeout: 90_000 };

describe('the workflow builder canvas, in Chromium against a real server with the workflow engine on', () => {
  let server: ConsoleServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let owner: Actor;
  let workflowId = '';

  const go = (page: Page, path: string) => page.goto(`${server.url}${path}`);
  const node = (page: Page, id: string) => page.locator(`[data-testid="builder-node"][data-node="${id}"]`);

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

  it('offers the 24 skills by category and every node type the engine lists', async () => {
    const { page } = owner;
    await go(page, '/workflows');
    await page.getByRole('link', { name: 'New workflow' }).click();
    await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor(WAIT);
    await page.getByTestId('palette-item').first().waitFor(WAIT);
    expect(await page.locator('[data-testid="palette-item"][data-item^="skill:"]').count()).toBe(24);
    const categories = await page
      .getByTestId('palette-group')
      .evaluateAll((groups) => groups.map((g) => g.getAttribute('data-group')));
    expect(categories).toEqual([
      'Steps',
      'Intake',
      'Risk',
      'Vendor',
      'Policy',
      'Monitoring',
      'Audit',
      'Training',
      'External',
    ]);
    const listed = await api(page, 'GET', '/api/workflow-node-types');
    const engineTypes = (listed.body.nodeTypes as { type: string }[])
      .map((t) => t.type)
      .filter((t) => t !== 'skill');
    const steps = await page
      .locator('[data-testid="palette-group"][data-group="Steps"] [data-testid="palette-item"]')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-item')));
    expect(steps).toEqual(engineTypes.map((t) => `type:${t}`));
  });

  it('builds from a template, shows validation errors on nodes, edits inputs in the side panel and saves a draft', async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'Use the template AI vendor onboarding' }).click();
    await node(page, 'approval').waitFor(WAIT);
    expect(await page.getByTestId('builder-node').count()).toBe(4);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('AI vendor onboarding');
    await page.getByLabel('Name', { exact: true }).fill('Vendor onboarding on the canvas');
    await page.getByTestId('editor-state').filter({ hasText: 'valid' }).waitFor(WAIT);

    // Dragged from the palette: a condition comparing nothing, reached by nothing.
    await page
      .locator('[data-testid="palette-item"][data-item="type:condition"]')
      .dragTo(page.getByTestId('builder-canvas'));
    const condition = node(page, 'condition');
    await condition.getByTestId('node-problems').waitFor(WAIT);
    const conditionProblems = await condition.getByTestId('node-problems').textContent();
    expect(conditionProblems).toContain('compareTo');
    expect(conditionProblems).toMatch(/reach/i);
    await page.getByTestId('node-panel').filter({ hasText: 'condition' }).waitFor(WAIT);
    expect(
      await page.locator('[data-field="compareTo"] [data-testid="field-problem"]').textContent(),
    ).toContain('compareTo');
    await page.getByRole('button', { name: 'Remove step condition' }).click();
    expect(await condition.count()).toBe(0);

    // Added with its button, then connected by dragging from the approval's lower handle.
    await page.getByRole('button', { name: 'Add Hitl' }).click();
    await node(page, 'hitl').getByTestId('node-problems').waitFor(WAIT);
    await page.getByRole('button', { name: 'Fit view' }).click();
    await page
      .locator('.svelte-flow__node[data-id="approval"] .svelte-flow__handle.source')
      .dragTo(page.locator('.svelte-flow__node[data-id="hitl"] .svelte-flow__handle.target'));
    await page.locator('.svelte-flow__edge[data-id="approval->hitl:approved"]').waitFor(WAIT);
    await node(page, 'hitl').click();
    await page.getByRole('button', { name: 'Remove step hitl' }).click();
    await expect.poll(() => page.locator('.svelte-flow__edge').count(), WAIT).toBe(4);

    // The side panel: a reference to a step downstream is refused on the node and beside the field.
    await node(page, 'dpa').click();
    await page.getByTestId('node-panel').filter({ hasText: 'vendor.dpa_review' }).waitFor(WAIT);
    const dpaText = page.getByLabel('Dpa text *', { exact: true });
    expect(await dpaText.inputValue()).toBe('$.input.dpaText');
    await dpaText.fill('$.nodes.approval.output.decision');
    await node(page, 'dpa').getByTestId('node-problems').waitFor(WAIT);
    expect(
      await page.locator('[data-field="dpaText"] [data-testid="field-problem"]').textContent(),
    ).toContain('approval');
    await screenshot(page, 'workflow-builder-invalid');
    await page.getByLabel('Map dpa text from').selectOption('$.input.dpaText');
    await page.getByLabel('Map vendor name from').selectOption('$.input.product');
    expect(await page.getByLabel('Vendor name *', { exact: true }).inputValue()).toBe('$.input.product');
    await page.getByTestId('editor-state').filter({ hasText: 'valid' }).waitFor(WAIT);
    expect(await page.getByTestId('node-problems').count()).toBe(0);

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/workflows\/[^/]+\/edit$/, WAIT);
    await page.getByText('Saved as version 2, a draft.').waitFor(WAIT);
    workflowId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-2) ?? '');
    const saved = await api(page, 'GET', `/api/workflows/${encodeURIComponent(workflowId)}`);
    expect(saved.body).toMatchObject({
      name: 'Vendor onboarding on the canvas',
      templateId: 'vendor-onboarding',
      latestVersion: 2,
    });
    const dpa = (
      saved.body.graph as { nodes: { id: string; config: { input: Record<string, unknown> } }[] }
    ).nodes.find((n) => n.id === 'dpa');
    expect(dpa?.config.input).toEqual({ vendorName: '$.input.product', dpaText: '$.input.dpaText' });

    await page.getByTestId('history-row').nth(1).waitFor(WAIT);
    await page.getByRole('button', { name: 'Compare' }).click();
    expect(await page.getByTestId('diff-node-changed').textContent()).toContain('dpa');
    expect(owner.errors).toEqual([]);
  }, 150_000);

  it('publishes the draft and runs it: nodes light up live and the approval is decided in the drawer', async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'Publish v2' }).click();
    await page.getByText(/^Version 2 is published, pinned by /).waitFor(WAIT);
    expect(await page.getByTestId('workflow-status').textContent()).toBe('published');

    await page.getByRole('link', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'Start run' }).waitFor(WAIT);
    await page.getByLabel('Vendor name', { exact: true }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/workflow-runs\/[^/]+$/, WAIT);

    await node(page, 'approval').and(page.locator('[data-status="waiting"]')).waitFor(RUN_WAIT);
    for (const id of ['diligence', 'dpa'])
      expect(await node(page, id).getAttribute('data-status'), id).toBe('completed');
    expect(await node(page, 'diligence').getByTestId('node-output').textContent()).toContain('[demo]');
    const drawer = page.getByTestId('approval-drawer');
    await drawer.getByRole('button', { name: 'Approve' }).waitFor(WAIT);
    expect(await drawer.textContent()).toContain('Acme Transcribe');
    await screenshot(page, 'workflow-run-drawer');
    await drawer.getByRole('button', { name: 'Approve' }).click();

    await page
      .locator('[data-testid="run-status"]', { hasText: /^(succeeded|failed|cancelled)$/ })
      .waitFor(RUN_WAIT);
    expect(await page.getByTestId('run-status').textContent()).toBe('succeeded');
    await node(page, 'approval').and(page.locator('[data-status="completed"]')).waitFor(WAIT);
    expect(await page.getByTestId('approval-drawer').count()).toBe(0);
    expect(owner.errors).toEqual([]);
  }, 150_000);

  for (const width of [1280, 390]) {
    it(`lays out the editor at ${width} px with no horizontal overflow or serious axe violations`, async () => {
      const viewer = await openActor(browser, { width, height: 900 });
      await go(viewer.page, '/login');
      await viewer.page.getByLabel('Email').fill(OWNER.email);
      await viewer.page.getByLabel('Password').fill(OWNER.password);
      await viewer.page.getByRole('button', { name: 'Sign in' }).click();
      await viewer.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
      await go(viewer.page, `/workflows/${encodeURIComponent(workflowId)}/edit`);
      await node(viewer.page, 'approval').waitFor(WAIT);
      await node(viewer.page, 'dpa').click();
      await viewer.page.getByTestId('node-panel').waitFor(WAIT);
      const health = await pageHealth(viewer.page);
      expect(health, (await overflowingElements(viewer.page)).join('\n')).toEqual({
        overflow: 0,
        violations: [],
      });
      await screenshot(viewer.page, `workflow-builder-${width}`);
      await go(viewer.page, '/workflows/new');
      await viewer.page.getByTestId('palette-item').first().waitFor(WAIT);
      const fresh = await pageHealth(viewer.page);
      expect(fresh, (await overflowingElements(viewer.page)).join('\n')).toEqual({
        overflow: 0,
        violations: [],
      });
      expect(viewer.errors).toEqual([]);
      await viewer.context.close();
    }, 120_000);
  }
});

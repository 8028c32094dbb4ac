import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pageApi as api, screenshot } from './testing/browser.js';
import { overflowingElements, pageHealth } from './testing/page-checks.js';
import { signedInConsole } from './testing/signed-in-console.js';

const OWNER = { org: 'Chat Builders', email: 'abe.builder@example.test', password: 'owner password 1' };
const WAIT = { timeout: 20_000 };

type Graph = { nodes: { id: string }[]; edges: { from: string; to: string; when?: string }[] };

const ids = (graph: Graph) => graph.nodes.map((n) => n.id);
const edgeKeys = (graph: Graph) => graph.edges.map((e) => `${e.from}->${e.to}${e.when ? `:${e.when}` : ''}`);

describe('the AI Builder beside the workflow canvas, in Chromium against a real server on the demo provider', () => {
  const console = signedInConsole(OWNER);
  let workflowId = '';
  let original: Graph;

  const node = (page: Page, id: string) => page.locator(`[data-testid="builder-node"][data-node="${id}"]`);
  const canvasIds = (page: Page) =>
    page.getByTestId('builder-node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node')));
  const ask = async (page: Page, message: string) => {
    await page.getByTestId('ai-builder-input').fill(message);
    await page.getByTestId('ai-builder-ask').click();
  };
  const saved = async (page: Page) =>
    (await api(page, 'GET', `/api/workflows/${encodeURIComponent(workflowId)}`)).body as {
      latestVersion: number;
      graph: Graph;
      versions: { version: number; hash: string }[];
    };

  it('shows a proposal as a diff on the canvas; Reject leaves the graph as it was', async () => {
    const { page } = console.owner;
    await console.go(page, '/workflows');
    const created = await api(page, 'POST', '/api/workflows/from-template', {
      templateId: 'vendor-onboarding',
    });
    expect(created.status).toBe(201);
    workflowId = created.body.id as string;
    original = created.body.graph as Graph;
    await console.go(page, `/workflows/${encodeURIComponent(workflowId)}/edit`);
    await node(page, 'approval').waitFor(WAIT);
    await page.getByTestId('ai-builder').waitFor(WAIT);

    await ask(page, 'Add an approval step before diligence');
    await page.getByTestId('ai-builder-proposal').waitFor(WAIT);
    expect(await page.getByTestId('ai-builder-proposal').textContent()).toContain(
      'Add an approval step (approval_2) before diligence',
    );
    expect(await page.getByTestId('ai-builder-ops').locator('li').allTextContents()).toEqual([
      'Add step approval_2 (hitl)',
      'Point start → diligence to approval_2',
      'Connect approval_2 → diligence (approved)',
    ]);
    await page.getByTestId('preview-banner').waitFor(WAIT);
    expect(await node(page, 'approval_2').getAttribute('data-mark')).toBe('added');
    await page.locator('.svelte-flow__edge[data-id="approval_2->diligence:approved"]').waitFor(WAIT);

    const health = await pageHealth(page);
    expect(health.violations).toEqual([]);
    expect(health.overflow, (await overflowingElements(page)).join(', ')).toBe(0);
    await screenshot(page, 'ai-builder-proposal');

    await page.getByTestId('ai-builder-reject').click();
    await page.getByTestId('ai-builder-proposal').waitFor({ state: 'detached', ...WAIT });
    await page.getByTestId('preview-banner').waitFor({ state: 'detached', ...WAIT });
    expect(await node(page, 'approval_2').count()).toBe(0);
    expect((await canvasIds(page)).sort()).toEqual(ids(original).sort());
    expect(await page.locator('.svelte-flow__edge[data-id="start->diligence"]').count()).toBe(1);
    expect(await page.getByTestId('editor-state').textContent()).toMatch(/^Saved/);
    expect(await page.getByText('Rejected: Add an approval step (approval_2) before diligence').count()).toBe(
      1,
    );

    // Nothing reached the workflow, and the proposal left only hashes in the log.
    const stored = await saved(page);
    expect(stored.latestVersion).toBe(1);
    expect(ids(stored.graph)).toEqual(ids(original));
    expect(edgeKeys(stored.graph)).toEqual(edgeKeys(original));
  });

  it('Accept puts the proposal on the canvas, and saving it records the proposal as accepted by its hash', async () => {
    const { page } = console.owner;
    await ask(page, 'Add an approval step before diligence');
    await page.getByTestId('ai-builder-proposal').waitFor(WAIT);
    await page.getByTestId('ai-builder-accept').click();
    await page.getByTestId('preview-banner').waitFor({ state: 'detached', ...WAIT });
    await node(page, 'approval_2').waitFor(WAIT);
    expect(await node(page, 'approval_2').getAttribute('data-mark')).toBe('');
    expect((await canvasIds(page)).sort()).toEqual([...ids(original), 'approval_2'].sort());
    await page.getByTestId('editor-state').filter({ hasText: 'Unsaved changes' }).waitFor(WAIT);
    await page.getByTestId('editor-state').filter({ hasText: 'valid' }).waitFor(WAIT);

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved as version 2, a draft.').waitFor(WAIT);
    const stored = await saved(page);
    expect(ids(stored.graph)).toContain('approval_2');
    expect(edgeKeys(stored.graph)).toContain('approval_2->diligence:approved');
    expect(edgeKeys(stored.graph)).not.toContain('start->diligence');

    const org = (await api(page, 'GET', '/api/auth/me')).body.org as { id: string } | string;
    const orgId = typeof org === 'string' ? org : org.id;
    const events = await console.server.runtime.store.readOrg({ org: orgId });
    const proposals = events.filter((e) => e.type === 'cp.workflow.builder.proposed');
    expect(proposals).toHaveLength(2);
    const v2 = stored.versions.find((v) => v.version === 2)!;
    expect(proposals.map((e) => (e.data as { resultHash: string }).resultHash)).toContain(v2.hash);
    expect(JSON.stringify(proposals)).not.toContain('before diligence');
  });

  it('shows a refused proposal as a problem and keeps the graph', async () => {
    const { page } = console.owner;
    const before = await canvasIds(page);
    await ask(page, 'remove dpa');
    const problem = page.locator('[data-testid="ai-builder"] [data-testid="problem"]');
    await problem.waitFor(WAIT);
    expect(await problem.getAttribute('data-code')).toBe('workflow_patch_rejected');
    const text = (await problem.textContent()) ?? '';
    expect(text).toContain('does not apply to the workflow or breaks a rule');
    expect(text).toContain('step approval');
    expect(text).not.toContain('body.');
    expect(await page.getByTestId('ai-builder-proposal').count()).toBe(0);
    expect(await canvasIds(page)).toEqual(before);
    const health = await pageHealth(page);
    expect(health.violations).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { pageApi } from './testing/browser.js';
import { signedInConsole } from './testing/signed-in-console.js';

const OWNER = { email: 'casey.coder@example.test', password: 'owner password 1', org: 'Coder Desk' };
const WAIT = { timeout: 30_000 };

describe('the Coder page in Chromium against a real server', () => {
  const ctx = signedInConsole(OWNER);
  const { go } = ctx;

  it('shows the mode the goal implies, runs a greenfield session on the demo model and approves its tarball', async () => {
    const { page } = ctx.owner;
    await go(page, '/coder');
    await page.getByRole('heading', { level: 1, name: 'Coder' }).waitFor(WAIT);
    await page.getByText('No session yet.').waitFor(WAIT);
    await page.getByLabel('Goal').fill('A tiny CLI that prints its version');
    await page.getByLabel(/^Repository/).fill('projects/service');
    expect(await page.getByTestId('draft-mode').textContent()).toContain('Repo (Mode A)');
    await page.getByLabel(/^Repository/).fill('');
    expect(await page.getByTestId('draft-mode').textContent()).toContain('Greenfield (Mode B)');
    await page.getByRole('button', { name: 'Create session' }).click();

    const detail = page.getByTestId('session-detail');
    await detail.waitFor(WAIT);
    expect(await detail.getByTestId('session-mode').textContent()).toBe('Greenfield');
    expect(await detail.getByTestId('session-status').textContent()).toBe('awaiting_run');
    await page.getByTestId('session-row').first().waitFor(WAIT);

    // The page follows the run's stream: nothing polls, so a mark set now survives only without a reload.
    await detail.getByTestId('tree-state').filter({ hasText: 'Live' }).waitFor(WAIT);
    await page.evaluate(() => {
      (window as unknown as { notReloaded?: boolean }).notReloaded = true;
    });
    await detail.getByRole('button', { name: 'Run loop' }).click();
    await detail.getByTestId('tool-call').filter({ hasText: 'read' }).first().waitFor(WAIT);
    await detail.getByTestId('session-status').filter({ hasText: 'finished' }).waitFor(WAIT);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await detail.getByTestId('run-node').first().waitFor(WAIT);
    expect(await detail.getByTestId('tree-rollup').textContent()).toMatch(/\d+ tokens/);
    // The demo model reads once, then answers in prose: two iterations, the first with its tool call.
    expect(await detail.getByTestId('iterations').locator('li').count()).toBe(2);
    await detail.getByText('Stopped: done').waitFor(WAIT);

    await detail.getByRole('button', { name: 'Apply' }).click();
    await detail.getByTestId('session-status').filter({ hasText: 'applied' }).waitFor(WAIT);
    await detail.getByText(/Artifact sha-256 [0-9a-f]{64}/).waitFor(WAIT);
    const id = (await detail.locator('h2 .mono').textContent())!.trim();
    const session = await pageApi(page, 'GET', `/api/coder/sessions/${id}`);
    expect(session.body).toMatchObject({ status: 'applied', mode: 'greenfield', stop: 'done' });
    expect(await detail.getByRole('button', { name: 'Discard' }).count()).toBe(0);
  });

  it('discards a session that never ran', async () => {
    const { page } = ctx.owner;
    await go(page, '/coder');
    await page.getByLabel('Goal').fill('Something to throw away');
    await page.getByRole('button', { name: 'Create session' }).click();
    const detail = page.getByTestId('session-detail');
    await detail.getByTestId('session-status').filter({ hasText: 'awaiting_run' }).waitFor(WAIT);
    await detail.getByRole('button', { name: 'Discard' }).click();
    await detail.getByTestId('session-status').filter({ hasText: 'discarded' }).waitFor(WAIT);
    await page.getByRole('status').filter({ hasText: 'Discarded' }).waitFor(WAIT);
    expect(await detail.getByRole('button', { name: 'Run loop' }).count()).toBe(0);
  });
});

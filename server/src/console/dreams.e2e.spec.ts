import { describe, expect, it } from 'vitest';
import { openActor, pageApi, screenshot } from './testing/browser.js';
import { overflowingElements, pageHealth } from './testing/page-checks.js';
import { signedInConsole } from './testing/signed-in-console.js';

const OWNER = { email: 'drew.dreams@example.test', password: 'owner password 1', org: 'Dream Desk' };
const SECOND = { email: 'sam.second@example.test', password: 'second admin password 1' };
const WAIT = { timeout: 20_000 };
const SKILL = 'intake.classify_use_case';
const GENE = 'Name the category before giving the rationale.';

describe('the Dreams page in Chromium against a real server', () => {
  const ctx = signedInConsole(OWNER);
  const { go } = ctx;

  it('shows the empty states before anything was proposed', async () => {
    const { page } = ctx.owner;
    await go(page, '/dreams');
    await page.getByRole('heading', { level: 1, name: 'Dreams' }).waitFor(WAIT);
    await page.getByText('No proposal waits for a decision.').waitFor(WAIT);
    await page.getByText("No capsule yet: every run uses the skill's base prompt").waitFor(WAIT);
  });

  it('proposes, approves as a second person, activates, and shows the capsule on the run it answered', async () => {
    const { page } = ctx.owner;
    await go(page, '/dreams');
    await page.getByLabel('Skill', { exact: true }).selectOption(SKILL);
    await page.getByLabel(/^Instruction/).fill(GENE);
    await page.getByLabel('Why').fill('Reviewers read the category first.');
    await page.getByRole('button', { name: 'Propose', exact: true }).click();
    const proposal = page.getByTestId('proposal').filter({ hasText: GENE });
    await proposal.waitFor(WAIT);
    await proposal.getByRole('button', { name: 'Approve' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'another admin or owner must approve it' })
      .waitFor(WAIT);

    const invited = await pageApi(page, 'POST', '/api/invitations', { email: SECOND.email, role: 'admin' });
    expect(invited.status).toBe(201);
    const link = new URL((invited.body.delivery as { link: string }).link);
    const second = await openActor(ctx.browser);
    await go(second.page, `${link.pathname}${link.hash}`);
    await second.page.getByLabel('Password').fill(SECOND.password);
    await second.page.getByRole('button', { name: 'Accept and join' }).click();
    await second.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);

    const p2 = second.page;
    await go(p2, '/dreams');
    const theirs = p2.getByTestId('proposal').filter({ hasText: GENE });
    await theirs.waitFor(WAIT);
    await theirs.getByRole('button', { name: 'Replay' }).click();
    await theirs.getByTestId('replay').waitFor(WAIT);
    expect(await theirs.getByTestId('replay').textContent()).toMatch(/0 wins · 0 losses · \d+ ties/);
    await theirs.getByRole('button', { name: 'Approve' }).click();
    await p2.getByRole('status').filter({ hasText: 'Approved' }).waitFor(WAIT);

    const genes = await pageApi(p2, 'GET', `/api/genes?skill=${SKILL}&status=approved`);
    const capsuleId = (genes.body.genes as { capsuleId: string }[])[0]!.capsuleId;
    const row = p2.getByTestId('capsule-row').filter({ hasText: capsuleId.slice(0, 12) });
    await row.waitFor(WAIT);
    await row.getByRole('button', { name: 'Activate' }).click();
    await row.getByText('active', { exact: true }).waitFor(WAIT);

    const run = await pageApi(p2, 'POST', `/api/skills/${SKILL}/run`, {
      input: { name: 'Help desk bot', description: 'Answers customer questions.' },
    });
    expect(run.status).toBe(200);
    expect(run.body.capsuleId).toBe(capsuleId);
    const runId = run.body.runId as string;

    // The read model shows the run under its capsule once it has applied it.
    await go(p2, '/dreams');
    await p2.getByLabel('Skill', { exact: true }).selectOption(SKILL);
    const opened = p2.getByTestId('capsule-row').filter({ hasText: capsuleId.slice(0, 12) });
    await opened.filter({ hasText: '(last ' }).waitFor(WAIT);
    await opened.getByRole('button', { name: `${capsuleId.slice(0, 12)}…` }).click();
    const detail = p2.getByTestId('capsule-detail');
    await detail.getByRole('link', { name: runId }).waitFor(WAIT);
    expect(await detail.locator('pre.diff').textContent()).toContain(`+- ${GENE}`);
    expect(await detail.textContent()).toContain(capsuleId);
    await screenshot(p2, 'dreams');
    // The owner's own approval was refused (four eyes): the browser logs that 409, and nothing else.
    expect(ctx.owner.errors.filter((e) => !e.includes('409 (Conflict)'))).toEqual([]);
    expect(second.errors).toEqual([]);
    await second.context.close();
  });

  it('saves the monthly budget and the replay retention from the settings form', async () => {
    const { page } = ctx.owner;
    await go(page, '/dreams');
    const form = page.getByRole('form', { name: 'Evolution settings' });
    const budget = form.getByLabel('Monthly budget for dreams and replays (USD)');
    await budget.waitFor(WAIT);
    expect(await budget.inputValue()).toBe('5');
    await budget.fill('12.5');
    await form.getByLabel('Runs kept per skill for replays (0: none)').fill('20');
    await form.getByLabel('Days a kept run is replayed').fill('7');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor(WAIT);
    const saved = await pageApi(page, 'GET', '/api/evolution/settings');
    expect(saved.body).toMatchObject({ monthlyBudgetUsd: 12.5, replayKeepRuns: 20, replayKeepDays: 7 });
    await go(page, '/dreams');
    expect(await page.getByLabel('Monthly budget for dreams and replays (USD)').inputValue()).toBe('12.5');
  });

  for (const width of [1280, 390]) {
    it(`lays out the Dreams page at ${width} px with no horizontal overflow or serious axe violations`, async () => {
      const viewer = await openActor(ctx.browser, { width, height: 900 });
      await go(viewer.page, '/login');
      await viewer.page.getByLabel('Email').fill(OWNER.email);
      await viewer.page.getByLabel('Password').fill(OWNER.password);
      await viewer.page.getByRole('button', { name: 'Sign in' }).click();
      await viewer.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
      await go(viewer.page, '/dreams');
      await viewer.page.getByTestId('capsule-row').first().waitFor(WAIT);
      const health = await pageHealth(viewer.page);
      expect(health, (await overflowingElements(viewer.page)).join('\n')).toEqual({
        overflow: 0,
        violations: [],
      });
      await screenshot(viewer.page, `dreams-${width}`);
      expect(viewer.errors).toEqual([]);
      await viewer.context.close();
    }, 120_000);
  }
});

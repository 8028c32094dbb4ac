import {
  handleCommand,
  type PuItemCommand,
  puItemDecider,
  puItemId,
  puItemSubject,
} from '@proofpane/commands';
import type { Actor } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { openActor, pageApi, screenshot } from './testing/browser.js';
import { overflowingElements, pageHealth } from './testing/page-checks.js';
import { signedInConsole } from './testing/signed-in-console.js';

const OWNER = { email: 'pat.universe@example.test', password: 'owner password 1', org: 'Universe Desk' };
const WAIT = { timeout: 30_000 };
const SYSTEM: Actor = { kind: 'system', id: 'parallel-universe' };
const CODER_ITEM = puItemId('hacker-news', 'story-citations');
const GENE_ITEM = puItemId('arxiv-cs-ai', '2603.00001');

const seeded = (
  itemId: string,
  source: 'hacker-news' | 'arxiv-cs-ai',
  title: string,
  result: Extract<PuItemCommand, { type: 'triage' }>['result'],
): PuItemCommand[] => [
  {
    type: 'discover',
    item: {
      itemId,
      source,
      sourceId: itemId,
      title,
      url: `https://example.test/${itemId}`,
      publishedAt: '2026-03-01T00:00:00.000Z',
      excerpt: 'Public text from the source.',
    },
  },
  { type: 'triage', result },
];

describe('the Parallel Universe page in Chromium against a real server', () => {
  const ctx = signedInConsole(OWNER);
  const { go } = ctx;

  it('shows items with scores and the budget meter, and a promotion becomes a session and a gene only once approved', async () => {
    const { page } = ctx.owner;
    const me = await pageApi(page, 'GET', '/api/auth/me');
    const org = (me.body.org as { id: string }).id;
    // Items as a pass records them (fetched, then triaged by a governed call that cost what is shown).
    const commands = [
      [
        CODER_ITEM,
        seeded(CODER_ITEM, 'hacker-news', 'Citations in tool results', {
          relevance: 0.82,
          summary: 'Tool results can carry citations.',
          action: 'coder',
          proposal: 'Add a citations field to the tool result type',
          runId: 'run_pu_console_1',
          costMicros: 1_500,
        }),
      ],
      [
        GENE_ITEM,
        seeded(GENE_ITEM, 'arxiv-cs-ai', 'Tiering under the AI Act', {
          relevance: 0.64,
          summary: 'How to name an AI Act tier.',
          action: 'gene',
          skill: 'risk.eu_ai_act_tier',
          proposal: 'Cite the Article when naming a tier.',
          runId: 'run_pu_console_2',
          costMicros: 500,
        }),
      ],
    ] as const;
    for (const [itemId, steps] of commands)
      for (const command of steps)
        await handleCommand({
          store: ctx.server.runtime.store,
          org,
          subject: puItemSubject(itemId),
          decider: puItemDecider,
          command,
          actor: SYSTEM,
        });
    const budget = await pageApi(page, 'PUT', '/api/parallel-universe/settings', {
      enabled: false,
      intervalMinutes: 60,
      staleAfterDays: 30,
      monthlyBudgetMicros: 10_000,
    });
    expect(budget.status).toBe(200);

    await go(page, '/parallel-universe');
    const coderRow = page.locator(`#item-${CODER_ITEM}`);
    const geneRow = page.locator(`#item-${GENE_ITEM}`);
    await coderRow.waitFor(WAIT);
    expect(await coderRow.textContent()).toContain('0.82');
    expect(await geneRow.textContent()).toContain('0.64');
    expect(await page.getByTestId('pu-budget').textContent()).toContain('$0.0020 of $0.0100');
    expect(await page.locator('meter').getAttribute('value')).toBe('0.2');

    await coderRow.getByRole('button', { name: 'Promote' }).click();
    await page.getByRole('status').filter({ hasText: 'once a person approves' }).waitFor(WAIT);
    await coderRow.getByText('promotion_pending').waitFor(WAIT);
    await geneRow.getByRole('button', { name: 'Promote' }).click();
    await geneRow.getByText('promotion_pending').waitFor(WAIT);
    // Nothing is made while the requests wait.
    expect((await pageApi(page, 'GET', '/api/coder/sessions')).body).toMatchObject({ sessions: [] });

    await go(page, '/approvals');
    const asks = page.getByTestId('pending-approval').filter({ hasText: 'Parallel Universe promotion' });
    await asks.first().waitFor(WAIT);
    expect(await asks.count()).toBe(2);
    const coderAsk = asks.filter({ hasText: 'a Repo Coder session awaiting its run' });
    // Every promotion is a person's own decision: no precedent is offered.
    expect(await coderAsk.getByRole('button', { name: /remember/ }).count()).toBe(0);
    await coderAsk.getByRole('button', { name: 'Approve' }).click();
    await asks.filter({ hasText: 'a gene proposal' }).getByRole('button', { name: 'Approve' }).click();
    await page.getByText('No request is waiting.').waitFor(WAIT);

    await go(page, '/parallel-universe');
    await coderRow.getByText('promoted').waitFor(WAIT);
    await geneRow.getByText('promoted').waitFor(WAIT);
    await coderRow.getByRole('link', { name: 'session' }).click();
    await page.getByRole('heading', { level: 1, name: 'Coder' }).waitFor(WAIT);
    const row = page.getByTestId('session-row').filter({ hasText: 'Add a citations field' });
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain('awaiting_run');
    const genes = await pageApi(page, 'GET', '/api/genes');
    expect(genes.body).toMatchObject({
      genes: [
        { origin: 'parallel-universe', text: 'Cite the Article when naming a tier.', status: 'proposed' },
      ],
    });
  }, 180_000);

  for (const width of [1280, 390]) {
    it(`lays out the Parallel Universe page at ${width} px with no horizontal overflow or serious axe violations`, async () => {
      const viewer = await openActor(ctx.browser, { width, height: 900 });
      await go(viewer.page, '/login');
      await viewer.page.getByLabel('Email').fill(OWNER.email);
      await viewer.page.getByLabel('Password').fill(OWNER.password);
      await viewer.page.getByRole('button', { name: 'Sign in' }).click();
      await viewer.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
      await go(viewer.page, '/parallel-universe');
      await viewer.page.getByTestId('pu-item').first().waitFor(WAIT);
      const health = await pageHealth(viewer.page);
      expect(health, (await overflowingElements(viewer.page)).join('\n')).toEqual({
        overflow: 0,
        violations: [],
      });
      await screenshot(viewer.page, `parallel-universe-${width}`);
      expect(viewer.errors).toEqual([]);
      await viewer.context.close();
    }, 120_000);
  }
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeVendor,
  type RecordedRequest,
  startFakeOpenAI,
} from '../../../commands/src/testing/index.js';
import {
  pageApi as api,
  ensureConsoleBuilt,
  launchChromium,
  newContext,
  screenshot,
  seriousA11yViolations,
  watchErrors,
} from './testing/browser.js';
import { type ConsoleServer, startConsoleServer } from './testing/console-server.js';

const OWNER = { email: 'maya.multi@example.test', password: 'owner password 1', org: 'Panel Partners' };
const WAIT = { timeout: 20_000 };
const RUN_WAIT = { timeout: 90_000 };

const cityOf = (text: string) => ['paris', 'lyon'].find((c) => text.toLowerCase().includes(c));

/** The judge's verdicts by the city named; the agents' answers come from the scripted queue. */
function judgeByCity(request: RecordedRequest) {
  const format = request.body.response_format as { json_schema?: { name?: string } } | undefined;
  if (format?.json_schema?.name !== 'entailment') return undefined;
  const text = JSON.stringify(request.body.messages).replaceAll('\\n', '\n');
  const premise = /Premise: (.*)/.exec(text)?.[1] ?? '';
  const hypothesis = /Hypothesis: (.*)/.exec(text)?.[1] ?? '';
  return { text: JSON.stringify({ entails: cityOf(premise) === cityOf(hypothesis) }) };
}

describe('multi-agent runs in the console, in Chromium against a real server', () => {
  let server: ConsoleServer;
  let openai: FakeVendor;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const go = (path: string) => page.goto(`${server.url}${path}`);

  beforeAll(async () => {
    ensureConsoleBuilt();
    openai = await startFakeOpenAI({ respond: judgeByCity });
    server = await startConsoleServer({
      env: { OPENAI_API_KEY: 'sk-test-platform', OPENAI_BASE_URL: `${openai.url}/v1` },
    });
    browser = await launchChromium();
    page = await (await newContext(browser)).newPage();
    errors = watchErrors(page);
    await go('/register');
    await page.getByLabel('Organisation name').fill(OWNER.org);
    await page.getByLabel('Work email').fill(OWNER.email);
    await page.getByLabel(/^Password/).fill(OWNER.password);
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await openai?.close();
  });

  it('runs a consensus on the demo provider and shows its one cluster, entropy and run tree', async () => {
    await page
      .getByRole('navigation', { name: 'Primary' })
      .getByRole('link', { name: 'Multi-agent' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Multi-agent' }).waitFor(WAIT);
    await page.getByLabel('Question').fill('Which colour is the sky?');
    await page.getByRole('button', { name: 'Start' }).click();
    const result = page.getByTestId('consensus-result');
    await result.waitFor(RUN_WAIT);
    expect(await page.getByTestId('run-status').textContent()).toBe('succeeded');
    expect(await page.getByTestId('entropy').textContent()).toBe('0.0000');
    expect(await page.getByTestId('cluster').count()).toBe(1);
    expect(await page.getByTestId('cluster').first().textContent()).toContain('0, 1, 2, 3, 4');
    expect(await page.getByTestId('answer').textContent()).toContain('[demo]');
    await screenshot(page, 'multi-agent-consensus');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await result.getByRole('link', { name: 'Run tree' }).click();
    await page.locator('[data-testid="run-node"]').first().waitFor(RUN_WAIT);
    expect(page.url()).toContain('/runs/run_');
  });

  it('runs an adversarial review and lists its rounds', async () => {
    await go('/multi-agent');
    await page.getByLabel('Adversarial review').check();
    await page.getByLabel('Task').fill('Write a one-line release note.');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByTestId('review-result').waitFor(RUN_WAIT);
    expect(await page.getByTestId('run-status').textContent()).toBe('succeeded');
    expect(await page.getByTestId('round').count()).toBe(1);
    expect(await page.getByTestId('review-result').textContent()).toContain('stopped early');
  });

  it('shows an escalated consensus to the approver and takes the answer an admin chooses', async () => {
    openai.script(...['Paris', 'Lyon', 'Paris', 'Lyon', 'Paris'].map((text) => ({ text })));
    const agent = { provider: 'openai', model: 'gpt-4o-mini' };
    const started = await api(page, 'POST', '/api/multi-agent/consensus', {
      prompt: 'Which city?',
      method: 'entropy',
      agents: [agent, agent, agent, agent, agent],
    });
    expect(started.status).toBe(200);
    expect(started.body.escalated).toBe(true);
    const runId = String(started.body.runId);

    await go('/approvals');
    const card = page.getByTestId('pending-approval').filter({ hasText: runId });
    await card.waitFor(WAIT);
    expect(await card.textContent()).toContain('Answer 2 (2 of 5 agents)');
    await card.getByRole('link', { name: 'Choose another answer on the multi-agent page' }).click();

    await page.getByTestId('consensus-result').waitFor(WAIT);
    expect(await page.getByTestId('run-status').textContent()).toBe('escalated');
    expect(await page.getByTestId('entropy').textContent()).toBe('0.6730');
    expect(await page.getByTestId('hitl-link').textContent()).toContain(String(started.body.hitlRequestId));
    await page.getByTestId('cluster').nth(1).getByRole('button', { name: 'Choose' }).click();
    await page.getByText('succeeded', { exact: true }).waitFor(WAIT);
    expect(cityOf((await page.getByTestId('answer').textContent()) ?? '')).toBe('lyon');
    expect(await page.getByTestId('cluster').nth(1).textContent()).toContain('(chosen)');
    await screenshot(page, 'multi-agent-escalation-chosen');
    expect(errors).toEqual([]);
  });

  it("lets an admin change the org's entropy threshold and default model, kept across reloads", async () => {
    await go('/multi-agent');
    const threshold = page.getByLabel('Org threshold (nats)');
    await threshold.waitFor(WAIT);
    expect(await threshold.inputValue()).toBe('0.6');
    await threshold.fill('0.75');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor(WAIT);
    await page.reload();
    await page.getByLabel('Org threshold (nats)').waitFor(WAIT);
    expect(await page.getByLabel('Org threshold (nats)').inputValue()).toBe('0.75');
    const stored = await api(page, 'GET', '/api/multi-agent/settings');
    expect(stored.body).toEqual({ entropyThreshold: 0.75, defaultModel: null });

    // A provider Proofpane does not speak is refused with what to fix; a known one is kept.
    await page.getByLabel('Default provider').fill('nope');
    await page.getByLabel('Default model').fill('x');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'provider' }).waitFor(WAIT);
    await page.getByLabel('Default provider').fill('openai');
    await page.getByLabel('Default model').fill('gpt-4o-mini');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor(WAIT);
    expect((await api(page, 'GET', '/api/multi-agent/settings')).body).toEqual({
      entropyThreshold: 0.75,
      defaultModel: { provider: 'openai', model: 'gpt-4o-mini' },
    });
    // The refused save is the only thing the browser logs: its 400 response.
    expect(errors).toEqual([expect.stringContaining('status of 400 (Bad Request)')]);
  });
});

import type { NewEvent } from '@proofpane/core';
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
import {
  budgetRefused,
  callCompleted,
  policyDecided,
  runStarted,
  unpricedSettled,
} from './testing/mission-events.js';

const WAIT = { timeout: 20_000 };
const OWNER = { email: 'olga.owner@example.test', password: 'owner password 1', orgName: 'Acme' };

describe('Mission Control and Cost & Budget for people, in Chromium', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let session: { token: string; user: { id: string }; org: { id: string } };
  let key: { id: string };
  const actors: Actor[] = [];

  async function signedIn(size: { width?: number; height?: number } = {}): Promise<Actor> {
    const a = await openActor(browser, size);
    await a.context.addInitScript(
      (value) => localStorage.setItem('proofpane.session', value),
      JSON.stringify({ ...session, role: 'owner' }),
    );
    actors.push(a);
    return a;
  }

  const append = (events: NewEvent[]) => server.runtime.store.append({ org: session.org.id, events });
  const user = () => ({ kind: 'user' as const, id: session.user.id });
  const apiKey = () => ({ kind: 'apikey' as const, id: key.id });

  async function caughtUp() {
    const head = (await server.runtime.store.head(session.org.id))?.seq ?? 0;
    for (;;) {
      const res = await server.app.inject({
        method: 'GET',
        url: '/api/admin/projections',
        headers: { authorization: `Bearer ${session.token}` },
      });
      const { projections } = res.json() as { projections: { lag: number }[] };
      const page = await server.app.inject({
        method: 'GET',
        url: `/api/audit?fromSeq=${head}&limit=1`,
        headers: { authorization: `Bearer ${session.token}` },
      });
      if (projections.every((p) => p.lag === 0) && (page.json() as { events: unknown[] }).events.length === 1)
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startConsoleServer();
    browser = await launchChromium();
    const registered = await server.app.inject({ method: 'POST', url: '/api/auth/register', payload: OWNER });
    session = registered.json();
    key = (
      await server.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: { authorization: `Bearer ${session.token}` },
        payload: { name: 'billing-bot', role: 'member' },
      })
    ).json();
    // Enough older events for the list to scroll, then calls and gate outcomes on top.
    await append(
      Array.from({ length: 120 }, (_, i) => runStarted(i, { kind: 'agent', id: 'nightly-triage' })),
    );
    await append([
      policyDecided({ id: 'c1', actor: apiKey(), decision: 'allow' }),
      callCompleted({ id: 'c1', actor: apiKey(), apiKeyId: key.id, costMicros: 2 }),
      policyDecided({ id: 'c2', actor: user(), decision: 'allow', dlp: { EMAIL: 1 } }),
      callCompleted({ id: 'c2', actor: user(), userId: session.user.id, costMicros: 7 }),
      policyDecided({ id: 'c3', actor: user(), decision: 'block' }),
      budgetRefused({ id: 'c4', actor: apiKey() }),
      callCompleted({ id: 'c5', actor: user(), userId: session.user.id, costMicros: 0, model: 'mystery-1' }),
      unpricedSettled({ id: 'c5', actor: user(), model: 'openai/mystery-1' }),
    ]);
    await caughtUp();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const row = (page: Page, type: string, subject: string) =>
    page
      .locator('[data-seq]')
      .filter({ hasText: type })
      .filter({ has: page.locator(`[data-id="${subject}"]`) });

  it('names actors by email and key name, shows full types and a decision for each gate outcome', async () => {
    const { page, errors } = await signedIn();
    await page.goto(`${server.url}/`);
    await row(page, 'cp.llm.call.completed', 'call/c1').waitFor(WAIT);
    expect(await row(page, 'cp.llm.call.completed', 'call/c1').getByTestId('actor').textContent()).toContain(
      'billing-bot',
    );
    expect(await row(page, 'cp.llm.call.completed', 'call/c2').getByTestId('actor').textContent()).toContain(
      OWNER.email,
    );
    const decisions = async (subject: string, type: string) =>
      (await row(page, type, subject).getByTestId('decision').textContent())?.trim();
    expect(await decisions('call/c1', 'cp.gate.policy.decided')).toContain('allowed');
    expect(await decisions('call/c2', 'cp.gate.policy.decided')).toContain('masked');
    expect(await decisions('call/c3', 'cp.gate.policy.decided')).toContain('blocked');
    expect(await decisions('call/c4', 'cp.gate.budget.refused')).toContain('refused');
    expect(
      await row(page, 'cp.gate.policy.decided', 'call/c3').getByTestId('decision').getAttribute('data-tone'),
    ).toBe('bad');
    const type = row(page, 'cp.gate.budget.refused', 'call/c4').getByTestId('event-type');
    expect(await type.textContent()).toBe('cp.gate.budget.refused');
    // Shown whole: nothing of the type is clipped by its cell.
    expect(
      await type.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight),
    ).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows an event as a labelled summary, the raw envelope one click away', async () => {
    const { page, errors } = await signedIn();
    await page.goto(`${server.url}/`);
    await row(page, 'cp.llm.call.completed', 'call/c1').click();
    const summary = page.getByTestId('event-summary');
    await summary.waitFor(WAIT);
    expect(await summary.locator('[data-field="costMicros"]').textContent()).toBe('$0.000002');
    expect(await summary.locator('[data-field="latencyMs"]').textContent()).toBe('1.3 s');
    expect(await summary.locator('[data-field="model"]').textContent()).toBe('gpt-4o-mini');
    expect(await summary.locator('[data-field="apiKeyId"]').textContent()).toContain('billing-bot');
    expect(await page.locator('.envelope').isVisible()).toBe(false);
    await page.getByText('Raw envelope (JSON)').click();
    await page.locator('.envelope').waitFor({ state: 'visible', ...WAIT });
    expect(await page.locator('.envelope').textContent()).toContain('"type": "cp.llm.call.completed"');
    expect(errors).toEqual([]);
  });

  it('sums the last hour and day in tiles and draws calls, refusals and cost per hour', async () => {
    const { page, errors } = await signedIn();
    await page.goto(`${server.url}/`);
    await page.getByTestId('tile-calls-1h').waitFor(WAIT);
    expect(await page.getByTestId('tile-calls-1h').locator('.value').textContent()).toBe('3');
    expect(await page.getByTestId('tile-refusals-1h').locator('.value').textContent()).toBe('2');
    expect(await page.getByTestId('tile-cost-1h').locator('.value').textContent()).toBe('$0.000009');
    expect(await page.getByTestId('tile-approvals').locator('.value').textContent()).toBe('0');
    await page.locator('[data-testid="activity-chart"] canvas').waitFor(WAIT);
    expect(await page.getByTestId('activity-chart').locator('tbody tr').count()).toBe(24);
    await page.getByTestId('ticks-usd').waitFor({ state: 'attached', ...WAIT });
    await page.getByTestId('agent-kind').first().waitFor(WAIT);
    expect(
      await page.getByTestId('agent-kind').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))),
    ).toEqual(expect.arrayContaining(['workflow', 'skill']));
    expect(await page.getByTestId('agent-kind').first().textContent()).toContain('running');
    expect(errors).toEqual([]);
  });

  it('keeps the rows being read in place while events arrive, and counts them in a pill that goes to the top', async () => {
    const { page, errors } = await signedIn({ width: 1280, height: 900 });
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="stream-state"]', { hasText: 'live' }).waitFor(WAIT);
    const head = (await server.runtime.store.head(session.org.id))?.seq ?? 0;
    await page.locator(`[data-seq="${head}"]`).waitFor(WAIT);
    const topRow = () =>
      page.evaluate(() => {
        const list = document.querySelector<HTMLElement>('.vlist')!;
        const box = list.getBoundingClientRect();
        const rows = [...list.querySelectorAll<HTMLElement>('[data-seq]')];
        const hit = rows.find((r) => {
          const rect = r.getBoundingClientRect();
          return rect.top <= box.top + 1 && rect.bottom > box.top + 1;
        });
        return hit?.getAttribute('data-seq') ?? null;
      });
    await page.locator('.vlist').scrollIntoViewIfNeeded();
    await page.evaluate(() => {
      document.querySelector<HTMLElement>('.vlist')!.scrollTop = 600;
    });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.vlist')!.scrollTop >= 600);
    const reading = await topRow();
    expect(reading).not.toBeNull();
    expect(await page.getByTestId('new-items-pill').count()).toBe(0);

    await append([runStarted(1_001, user()), runStarted(1_002, user()), runStarted(1_003, user())]);
    const pill = page.getByTestId('new-items-pill');
    await pill.waitFor(WAIT);
    expect(await pill.textContent()).toContain('3 new events');
    expect(await topRow()).toBe(reading);

    await pill.click();
    await page.locator(`[data-seq="${head + 3}"]`).waitFor({ state: 'visible', ...WAIT });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.vlist')!.scrollTop === 0);
    expect(await pill.count()).toBe(0);
    expect(await topRow()).toBe(String(head + 3));

    // At the top, arrivals show in place and no pill is needed.
    await append([runStarted(1_004, user())]);
    await page.locator(`[data-seq="${head + 4}"]`).waitFor({ state: 'visible', ...WAIT });
    expect(await topRow()).toBe(String(head + 4));
    expect(await pill.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('draws tiny daily spend with distinct, non-zero axis labels, users by email, and warns of an unpriced model', async () => {
    const { page, errors } = await signedIn();
    await page.goto(`${server.url}/cost`);
    await page.locator('[data-testid="daily-chart"] canvas').waitFor(WAIT);
    const ticks = page.getByTestId('ticks-usd');
    await ticks.waitFor({ state: 'attached', ...WAIT });
    const labels = ((await ticks.textContent()) ?? '').replace('Dollar axis: ', '').split(', ');
    expect(labels.length).toBeGreaterThan(2);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.filter((l) => /[1-9]/.test(l)).length).toBeGreaterThan(0);

    await page.getByTestId('top-row').first().waitFor(WAIT);
    expect(await page.getByTestId('top-row').first().textContent()).toContain(OWNER.email);

    await page.getByRole('button', { name: 'Models' }).click();
    const mystery = page.getByTestId('top-row').filter({ hasText: 'mystery-1' });
    await mystery.waitFor(WAIT);
    expect(await mystery.getByTestId('unpriced-warning').textContent()).toContain('no price');
    expect(await mystery.textContent()).not.toContain('$0.00');
    expect(await page.getByTestId('chart-unpriced').isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  for (const width of [1280, 390]) {
    it(`lays Mission Control and Cost & Budget out at ${width} px without horizontal overflow or serious axe violations`, async () => {
      const { page, errors } = await signedIn({ width, height: 900 });
      for (const [path, ready] of [
        ['/', '[data-testid="activity-chart"] canvas'],
        ['/cost', '[data-testid="daily-chart"] canvas'],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        await page.locator(ready).waitFor(WAIT);
        if (path === '/') await page.getByTestId('agents-panel').waitFor(WAIT);
        const overflow = await page.evaluate(() => {
          const root = document.scrollingElement!;
          return { scroll: root.scrollWidth, client: root.clientWidth };
        });
        expect(overflow.scroll, `${path} at ${width} px`).toBeLessThanOrEqual(overflow.client);
        expect(await seriousA11yViolations(page), `${path} at ${width} px`).toEqual([]);
        await screenshot(page, `${path === '/' ? 'mission-control' : 'cost'}-readable-${width}`);
      }
      expect(errors).toEqual([]);
    });
  }
});

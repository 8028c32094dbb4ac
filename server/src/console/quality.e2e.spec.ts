import type { NewEvent } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { skillRun } from '../quality-drift/testing.js';
import { openActor, pageApi, screenshot } from './testing/browser.js';
import { pageHealth } from './testing/page-checks.js';
import { signedInConsole } from './testing/signed-in-console.js';

const OWNER = { email: 'quinn.quality@example.test', password: 'owner password 1', org: 'Quality Desk' };
const WAIT = { timeout: 20_000 };
const SKILL = 'policy.map_controls';

/** A drift alert as the evaluator records it: the pass rate fell from 90 % to 60 %. */
const alerted = (): NewEvent => {
  const span = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() };
  return {
    type: 'cp.quality.drift.alerted',
    subject: `quality-drift/${SKILL}/pass_rate`,
    actor: { kind: 'system', id: 'quality-drift' },
    data: {
      alertId: 'qda_console',
      skill: SKILL,
      signal: 'pass_rate',
      baseline: { ...span, n: 500, adverse: 50, rate: 0.9 },
      recent: { ...span, n: 100, adverse: 40, rate: 0.6 },
      statistic: 6.2,
      threshold: 3.72,
    },
  };
};

describe('the Quality page in Chromium against a real server', () => {
  const ctx = signedInConsole(OWNER);
  const { go } = ctx;

  it('shows the empty states before anything ran', async () => {
    const { page } = ctx.owner;
    await go(page, '/quality');
    await page.getByRole('heading', { level: 1, name: 'Quality' }).waitFor(WAIT);
    await page.getByText('No skill runs in this window.').waitFor(WAIT);
    await page.getByText('No open drift alerts').waitFor(WAIT);
    await page.getByText('Nothing to triage.').waitFor(WAIT);
  });

  it('charts the seeded runs, shows an alert, and resolves a triage item the judge opened', async () => {
    const { page } = ctx.owner;
    const me = await pageApi(page, 'GET', '/api/auth/me');
    const org = (me.body.org as { id: string }).id;
    const runs = Array.from({ length: 6 }, (_, i) =>
      skillRun(`run_console_${i}`, SKILL, i < 2 ? 'flagged' : 'clean'),
    );
    await ctx.server.runtime.store.append({ org, events: [...runs.flat(), alerted()] });
    // A sampled skill run the demo judge scores 3, below this org's threshold of 4: a triage item.
    const settings = await pageApi(page, 'PUT', '/api/quality/settings', {
      l3: { governedAnswers: false },
      l4: {
        judge: { provider: 'demo', model: 'demo' },
        secondJudge: null,
        threshold: 4,
        disagreementMargin: 1,
        samplingRate: 1,
        monthlyBudgetMicros: 5_000_000,
      },
    });
    expect(settings.status).toBe(200);
    const run = await pageApi(page, 'POST', '/api/skills/intake.classify_use_case/run', {
      input: { name: 'Help-centre assistant', description: 'A chatbot answering support questions.' },
    });
    expect(run.status).toBe(200);
    expect(await ctx.server.app.qualityJudge.pass()).toMatchObject({ judged: 1 });

    await go(page, '/quality');
    await page.getByRole('heading', { level: 1, name: 'Quality' }).waitFor(WAIT);
    const skill = page.getByTestId('rates-skill').filter({ hasText: SKILL });
    await skill.waitFor(WAIT);
    expect(await skill.textContent()).toContain('6 runs, 66.7 % passed');
    await skill.getByTestId('rates-chart').locator('canvas').first().waitFor(WAIT);
    const alert = page.getByTestId('drift-alert');
    await alert.waitFor(WAIT);
    expect(await alert.textContent()).toContain('pass rate 60 %');

    // The judge's item (the L3 runs are opened by the loop's next pass; this one is the judge's).
    const item = page.getByTestId('triage-item').filter({ hasText: 'judged below the threshold' });
    await item.waitFor(WAIT);
    expect(await item.getAttribute('data-status')).toBe('open');
    await item.getByLabel('Resolution').selectOption('false_positive');
    await item.getByLabel('Note').fill('The tier is right for a support chatbot.');
    await item.getByRole('button', { name: 'Resolve' }).click();
    await page.getByTestId('triage-resolution').waitFor(WAIT);
    expect(await item.getAttribute('data-status')).toBe('resolved');
    expect(await item.getByTestId('triage-resolution').textContent()).toContain('The tier is right');
    expect(ctx.owner.errors).toEqual([]);
  });

  for (const width of [1280, 390]) {
    it(`lays out the Quality page at ${width} px with no horizontal overflow or serious axe violations`, async () => {
      const viewer = await openActor(ctx.browser, { width, height: 900 });
      await go(viewer.page, '/login');
      await viewer.page.getByLabel('Email').fill(OWNER.email);
      await viewer.page.getByLabel('Password').fill(OWNER.password);
      await viewer.page.getByRole('button', { name: 'Sign in' }).click();
      await viewer.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
      await go(viewer.page, '/quality');
      await viewer.page.getByTestId('rates-chart').first().waitFor(WAIT);
      await viewer.page.getByTestId('triage-item').first().waitFor(WAIT);
      expect(await pageHealth(viewer.page)).toEqual({ overflow: 0, violations: [] });
      await screenshot(viewer.page, `quality-${width}`);
      expect(viewer.errors).toEqual([]);
      await viewer.context.close();
    }, 120_000);
  }
});

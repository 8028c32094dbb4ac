import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePublishedKeys, verifyPack } from '@proofpane/evidence-verifier';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  pageApi as api,
  ensureConsoleBuilt,
  launchChromium,
  openActor,
  screenshot,
  seriousA11yViolations,
} from './testing/browser.js';
import { type ConsoleServer, startConsoleServer } from './testing/console-server.js';

const OWNER = { email: 'carla.compliance@example.test', password: 'owner password 1', org: 'Control Works' };
const SECOND = { email: 'sam.second@example.test', password: 'second admin password 1' };
const MEMBER = { email: 'meg.member@example.test', password: 'member password 1' };
const WAIT = { timeout: 20_000 };
const ART12 = 'EU-AI-ACT:Art.12';

describe('compliance in the console, in Chromium against a real server', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let owner: Actor;
  let dir: string;

  const actor = () => openActor(browser);
  const go = (page: Page, path: string) => page.goto(`${server.url}${path}`);

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startConsoleServer();
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'proofpane-compliance-e2e-'));
    owner = await actor();
    await go(owner.page, '/register');
    await owner.page.getByLabel('Organisation name').fill(OWNER.org);
    await owner.page.getByLabel('Work email').fill(OWNER.email);
    await owner.page.getByLabel(/^Password/).fill(OWNER.password);
    await owner.page.getByRole('button', { name: 'Create organisation' }).click();
    await owner.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    // One governed call on the demo provider: evidence of record-keeping.
    const call = await api(owner.page, 'POST', '/v1/chat/completions', {
      model: 'demo/echo',
      messages: [{ role: 'user', content: 'hello compliance' }],
    });
    expect(call.status).toBe(200);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows coverage as an accessible heat map and a control with its evidence, crosswalks and pack', async () => {
    const { page } = owner;
    // The coverage is a projection: wait until it has applied the call before opening the page.
    for (;;) {
      const coverage = await api(page, 'GET', '/api/compliance/coverage?framework=EU-AI-ACT');
      const cells = coverage.body.controls as { uid: string; status: string }[];
      if (cells.find((c) => c.uid === ART12)?.status === 'evidenced') break;
      await page.waitForTimeout(100);
    }
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Compliance' }).waitFor(WAIT);
    await page.getByTestId('heat-cell').first().waitFor(WAIT);
    expect(await page.getByTestId('framework-tab').allTextContents()).toEqual([
      'NIST-AI-RMF',
      'ISO42001',
      'EU-AI-ACT',
      'GDPR',
      'SOC2',
    ]);
    await page.getByRole('button', { name: 'EU-AI-ACT' }).click();
    const cell = page.locator(`[data-testid="heat-cell"][data-uid="${ART12}"]`);
    await cell.waitFor(WAIT);
    expect(await page.getByTestId('heat-cell').count()).toBe(121);
    expect(await cell.getAttribute('data-status')).toBe('evidenced');
    const named = page.getByRole('link', {
      name: /^Art\. 12 Record-keeping: evidenced, \d+ evidence events?$/,
    });
    expect(await named.count()).toBe(1);
    await page.getByLabel('Curated controls only').check();
    expect(await page.getByTestId('heat-cell').count()).toBeLessThan(121);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'compliance-coverage');
    await page.getByLabel('Curated controls only').uncheck();
    await page.getByRole('button', { name: 'NIST-AI-RMF' }).click();
    await page.getByRole('heading', { level: 3, name: 'MEASURE' }).waitFor(WAIT);
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual([
      'GOVERN',
      'MAP',
      'MEASURE',
      'MANAGE',
    ]);
    await screenshot(page, 'compliance-nist');
    await page.getByRole('button', { name: 'EU-AI-ACT' }).click();

    await cell.click();
    await page.getByRole('heading', { level: 1, name: /Record-keeping/ }).waitFor(WAIT);
    await page.getByTestId('evidence-item').first().waitFor(WAIT);
    const shown = await page.getByTestId('evidence-item').count();
    expect(shown).toBeGreaterThan(0);
    expect(await page.getByTestId('crosswalk-link').allTextContents()).toContain('ISO42001:A.6.2.8');
    expect(await seriousA11yViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Evidence Pack' }).click(),
    ]);
    const saved = join(dir, 'pack.zip');
    await download.saveAs(saved);
    const bytes = new Uint8Array(readFileSync(saved));
    const keys = parsePublishedKeys(
      await (await fetch(`${server.url}/.well-known/proofpane-keys.json`)).text(),
    );
    if ('error' in keys) throw new Error(keys.error);
    const report = await verifyPack(bytes, { trust: { kind: 'list', keys: keys.keys } });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.valid).toBe(true);
    const packed = new TextDecoder().decode(unzipSync(bytes)['events.jsonl']).trim().split('\n');
    expect(packed.every((line) => JSON.parse(line).type === 'cp.llm.call.completed')).toBe(true);
    expect(packed).toHaveLength(shown);

    await page.getByTestId('crosswalk-link').filter({ hasText: 'ISO42001:A.6.2.8' }).first().click();
    await page.getByRole('heading', { level: 1, name: /AI system recording of event logs/ }).waitFor(WAIT);
    expect(owner.errors).toEqual([]);
  }, 120_000);

  it('applies a mapping override only after a second admin approves it', async () => {
    const { page } = owner;
    await go(page, '/compliance');
    await page.getByRole('heading', { name: 'Mapping overrides' }).waitFor(WAIT);
    await page.getByText('No override yet').waitFor(WAIT);
    const form = page.getByRole('form', { name: 'Propose an override' });
    await form.getByLabel('Skill').fill('risk.eu_ai_act_tier');
    await form.getByLabel('Control').fill('GDPR:Art.35');
    await form.getByLabel('Reason').fill('our DPIA reads the tier');
    await form.getByRole('button', { name: 'Propose' }).click();
    const row = page.getByTestId('override-row').first();
    await row.locator('.badge', { hasText: 'pending' }).waitFor(WAIT);
    await row.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('alert').filter({ hasText: 'another admin must' }).waitFor(WAIT);
    expect(await row.getAttribute('data-status')).toBe('pending');

    const invited = await api(page, 'POST', '/api/invitations', { email: SECOND.email, role: 'admin' });
    expect(invited.status).toBe(201);
    const link = new URL((invited.body.delivery as { link: string }).link);
    const second = await actor();
    await go(second.page, `${link.pathname}${link.hash}`);
    await second.page.getByLabel('Password').fill(SECOND.password);
    await second.page.getByRole('button', { name: 'Accept and join' }).click();
    await second.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    await go(second.page, '/compliance');
    const theirRow = second.page.getByTestId('override-row').first();
    await theirRow.getByRole('button', { name: 'Approve' }).click();
    await theirRow.locator('.badge', { hasText: 'approved' }).waitFor(WAIT);

    for (;;) {
      const mapped = await api(page, 'GET', '/api/compliance/mappings?control=GDPR%3AArt.35');
      const pairs = mapped.body.mappings as { skill: string; source: string }[];
      if (pairs.some((p) => p.skill === 'risk.eu_ai_act_tier' && p.source === 'override')) break;
      await page.waitForTimeout(100);
    }
    await go(page, '/compliance/control?uid=GDPR%3AArt.35');
    await page.getByText('risk.eu_ai_act_tier').first().waitFor(WAIT);
    expect(second.errors).toEqual([]);
  }, 120_000);

  it('shows a member the overrides without the means to propose or decide them', async () => {
    const pending = await api(owner.page, 'POST', '/api/compliance/mappings/overrides', {
      skill: 'risk.eu_ai_act_tier',
      control: 'GDPR:Art.30',
      action: 'add',
      reason: 'the tier belongs in the records of processing',
    });
    expect(pending.status).toBe(201);
    const invited = await api(owner.page, 'POST', '/api/invitations', {
      email: MEMBER.email,
      role: 'member',
    });
    const link = new URL((invited.body.delivery as { link: string }).link);
    const member = await actor();
    await go(member.page, `${link.pathname}${link.hash}`);
    await member.page.getByLabel('Password').fill(MEMBER.password);
    await member.page.getByRole('button', { name: 'Accept and join' }).click();
    await member.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    await go(member.page, '/compliance');
    await member.page.locator('[data-testid="override-row"][data-status="pending"]').waitFor(WAIT);
    expect(await member.page.getByRole('form', { name: 'Propose an override' }).count()).toBe(0);
    expect(await member.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await seriousA11yViolations(member.page)).toEqual([]);
    expect(member.errors).toEqual([]);
  }, 120_000);
});

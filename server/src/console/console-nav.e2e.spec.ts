import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchChromium, openActor, screenshot } from './testing/browser.js';
import { type ConsoleServer, startConsoleServer } from './testing/console-server.js';
import { horizontalOverflow, overflowingElements, registerInBrowser } from './testing/page-checks.js';

const OWNER = { email: 'nora.nav@example.test', password: 'owner password 1', org: 'Nav Works' };
const WAIT = { timeout: 20_000 };

describe('the grouped primary navigation, in Chromium against a real server', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startConsoleServer();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('groups the pages under Monitor, Build, Govern, Connect and Organisation and marks the current one', async () => {
    const { page, errors } = await openActor(browser);
    await registerInBrowser(page, server.url, OWNER);
    const nav = page.getByRole('navigation', { name: 'Primary' });
    const group = (name: string) => nav.getByRole('list', { name });
    for (const [name, links] of [
      ['Monitor', ['Mission Control', 'Approvals', 'Agent Runs', 'Cost & Budget']],
      ['Build', ['Skills', 'Workflows', 'Multi-agent', 'Cross-vendor evals', 'Playground']],
      ['Govern', ['Use cases', 'Compliance', 'Quality', 'Policies']],
      [
        'Connect',
        ['Provider keys', 'API keys', 'Devices', 'Desktop approvers', 'MCP servers', 'MCP activity'],
      ],
      ['Organisation', ['Members']],
    ] as const) {
      for (const link of links)
        await group(name).getByRole('link', { name: link, exact: true }).waitFor(WAIT);
    }
    expect(
      await group('Monitor').getByRole('link', { name: 'Mission Control' }).getAttribute('aria-current'),
    ).toBe('page');
    await group('Govern').getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor(WAIT);
    expect(await nav.locator('[aria-current="page"]').allTextContents()).toEqual(['Policies']);
    expect(errors).toEqual([]);
  });

  it('folds behind Menu on a phone, opens without sideways scrolling and closes after a choice', async () => {
    const { page, errors } = await openActor(browser, { width: 390, height: 844 });
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    await page.goto(`${server.url}/members`);
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor(WAIT);
    const nav = page.getByRole('navigation', { name: 'Primary' });
    expect(await nav.isVisible()).toBe(false);
    expect(await horizontalOverflow(page), (await overflowingElements(page)).join(', ')).toBe(0);
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('list', { name: 'Connect' }).waitFor(WAIT);
    expect(await horizontalOverflow(page), (await overflowingElements(page)).join(', ')).toBe(0);
    // The groups sit side by side, so the open menu is shorter than the links stacked one per row.
    const height = await nav.evaluate((el) => el.getBoundingClientRect().height);
    const linkHeight = await nav
      .getByRole('link', { name: 'Members' })
      .evaluate((el) => el.getBoundingClientRect().height);
    const links = await nav.getByRole('link').count();
    expect(height).toBeLessThan(links * linkHeight);
    await screenshot(page, 'nav-open-390');
    await nav.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor(WAIT);
    expect(await nav.isVisible()).toBe(false);
    expect(await horizontalOverflow(page), (await overflowingElements(page)).join(', ')).toBe(0);
    expect(errors).toEqual([]);
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchChromium, openActor } from './testing/browser.js';
import { type ConsoleServer, startConsoleServer } from './testing/console-server.js';
import { pageHealth, registerInBrowser } from './testing/page-checks.js';

const OWNER = { email: 'erin.errors@example.test', password: 'owner password 1', org: 'Error Works' };
const WAIT = { timeout: 20_000 };

describe('errors and the sign-in pages, in Chromium against a real server', () => {
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

  it('says beside each refused field, once and in words, what to change', async () => {
    const { page } = await openActor(browser);
    await page.goto(`${server.url}/register`);
    // Spaces pass the browser's `required` check; the server trims them and refuses the name.
    await page.getByLabel('Organisation name').fill('   ');
    await page.getByLabel('Work email').fill('someone@example.test');
    await page.getByLabel(/^Password/).fill('long enough password');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    const alert = page.getByTestId('problem');
    await alert.waitFor(WAIT);
    expect(await alert.getAttribute('data-code')).toBe('validation_failed');
    const beside = page.locator('#orgName-error');
    expect(await beside.textContent()).toBe('is required');
    expect(await page.getByLabel('Organisation name').getAttribute('aria-describedby')).toBe('orgName-error');
    const all = (await page.locator('main').textContent()) ?? '';
    expect(all).not.toMatch(/Too small|>=|body\./);
    expect(all.match(/is required/g)).toHaveLength(1);
    expect(await alert.textContent()).toContain('A field is invalid.');
  });

  it('renders a refused sign-in from the catalogue as a sentence', async () => {
    const { page } = await openActor(browser);
    await registerInBrowser(page, server.url, OWNER);
    const anonymous = await openActor(browser);
    await anonymous.page.goto(`${server.url}/login`);
    await anonymous.page.getByLabel('Email').fill(OWNER.email);
    await anonymous.page.getByLabel('Password').fill('not the password');
    await anonymous.page.getByRole('button', { name: 'Sign in' }).click();
    const alert = anonymous.page.getByTestId('problem');
    await alert.waitFor(WAIT);
    const text = ((await alert.textContent()) ?? '').trim();
    expect(text).toMatch(/^[A-Z][\s\S]*\.$/);
    expect(text).not.toContain('body.');
  });

  for (const width of [1280, 390]) {
    it(`says on the sign-in page what Proofpane is, at ${width} px with no overflow or serious axe violations`, async () => {
      const { page, errors } = await openActor(browser, { width, height: 900 });
      const found: Record<string, unknown> = {};
      for (const path of ['/login', '/register']) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
        const health = await pageHealth(page);
        if (health.overflow > 0 || health.violations.length) found[path] = health;
      }
      await page.goto(`${server.url}/login`);
      const intro = await page.getByTestId('what-proofpane-is').textContent();
      expect(intro).toMatch(/audit log/);
      expect(intro).toMatch(/policy/);
      expect(found).toEqual({});
      expect(errors).toEqual([]);
    });
  }
});

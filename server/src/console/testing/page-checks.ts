import type { Page } from 'playwright-core';
import { type AxeViolation, seriousA11yViolations } from './browser.js';

const WAIT = { timeout: 20_000 };

/** Registers a new organisation through the sign-up page and waits for Mission Control. */
export async function registerInBrowser(
  page: Page,
  base: string,
  who: { org: string; email: string; password: string },
): Promise<void> {
  await page.goto(`${base}/register`);
  await page.getByLabel('Organisation name').fill(who.org);
  await page.getByLabel('Work email').fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
}

/** How many CSS pixels the page scrolls sideways: 0 when nothing is wider than the window. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

/**
 * What one page shows at the viewport it is open in: its sideways overflow and its serious or
 * critical axe-core violations, after the loading states are gone.
 */
export async function pageHealth(page: Page): Promise<{ overflow: number; violations: AxeViolation[] }> {
  await page.locator('[role="status"]', { hasText: /^Loading/ }).waitFor({ state: 'detached', ...WAIT });
  return { overflow: await horizontalOverflow(page), violations: await seriousA11yViolations(page) };
}

/** The elements reaching past the right edge of the window, named for an assertion message. */
export function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = (document.scrollingElement ?? document.documentElement).clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 8)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} ${Math.round(el.getBoundingClientRect().right)}`,
      );
  });
}

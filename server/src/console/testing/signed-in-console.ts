import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Actor, ensureConsoleBuilt, launchChromium, openActor } from './browser.js';
import { type ConsoleServer, startConsoleServer } from './console-server.js';
import { registerInBrowser } from './page-checks.js';

export interface SignedInConsole {
  server: ConsoleServer;
  browser: Browser;
  owner: Actor;
  go(page: Page, path: string): Promise<unknown>;
}

/**
 * One spec file's console: a real server (workflow engine off unless `env` turns it on), Chromium, and
 * an owner registered in the browser, set up before the file's tests and closed after them. `env` is
 * read in that set-up, so it may name fakes or a database that an earlier `beforeAll` started.
 */
export function signedInConsole(
  who: { org: string; email: string; password: string },
  options: { env?: () => Record<string, string> } = {},
): SignedInConsole {
  const fixture = {
    go: (page: Page, path: string) => page.goto(`${fixture.server.url}${path}`),
  } as SignedInConsole;
  beforeAll(async () => {
    ensureConsoleBuilt();
    fixture.server = await startConsoleServer({
      env: { PROOFPANE_WORKFLOW_ENGINE: 'off', ...options.env?.() },
    });
    fixture.browser = await launchChromium();
    fixture.owner = await openActor(fixture.browser);
    await registerInBrowser(fixture.owner.page, fixture.server.url, who);
  }, 300_000);
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return fixture;
}

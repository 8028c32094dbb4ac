import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { defaultConsoleRoot } from '../plugin.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const repoRoot = resolve(fileURLToPath(new URL('../../../../', import.meta.url)));
export const artifactsDir = join(repoRoot, 'test-artifacts', 'console');

/** Builds the console once when `web/build` is missing (a fresh clone running the tests). */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(defaultConsoleRoot, 'index.html'))) return;
  execFileSync('npm', ['run', 'build', '-w', '@proofpane/web'], { cwd: repoRoot, stdio: 'inherit' });
}

/** Chromium with a fresh profile (playwright-core makes a new user-data-dir per launch). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newContext(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    acceptDownloads: true,
  });
}

/** Console errors and uncaught exceptions of a page, collected from its creation on. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return errors;
}

/** A signed-in (or about to be) browser user: its context, page and the errors the page logged. */
export interface Actor {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export async function openActor(
  browser: Browser,
  size: { width?: number; height?: number } = {},
): Promise<Actor> {
  const context = await newContext(browser, size);
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

/** Calls the API from the page with its session, as a script holding the same token would. */
export function pageApi(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ([m, url, payload]) => {
      const token = JSON.parse(localStorage.getItem('proofpane.session') ?? '{}').token as string;
      const response = await fetch(url as string, {
        method: m as string,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    [method, path, body] as const,
  );
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page. The source is evaluated through the DevTools protocol rather than
 * added as a script tag, so the console's CSP stays on while it runs.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
    }));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

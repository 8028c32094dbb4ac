import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invitationPath, startSmtpInbox } from '../testing/smtp-inbox.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newContext,
  screenshot,
  seriousA11yViolations,
  watchErrors,
} from './testing/browser.js';
import { type ConsoleServer, startConsoleServer } from './testing/console-server.js';

const OWNER = { email: 'olga.owner@example.test', password: 'owner password 1', org: 'Acme Compliance' };
const INVITEE = { email: 'ivan.invitee@example.test', password: 'invitee password 1' };
const WAIT = { timeout: 20_000 };

interface Actor {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

describe('the governance console in Chromium against a real server', () => {
  let server: ConsoleServer;
  let smtp: Awaited<ReturnType<typeof startSmtpInbox>>;
  let browser: Browser;
  let owner: Actor;
  const actors: Actor[] = [];

  async function actor(options: { width?: number; height?: number } = {}): Promise<Actor> {
    const context = await newContext(browser, options);
    const page = await context.newPage();
    const a = { context, page, errors: watchErrors(page) };
    actors.push(a);
    return a;
  }
  const go = (page: Page, path: string) => page.goto(`${server.url}${path}`);

  beforeAll(async () => {
    ensureConsoleBuilt();
    smtp = await startSmtpInbox();
    server = await startConsoleServer({
      env: { SMTP_URL: smtp.url, PROOFPANE_MAIL_FROM: 'pp@example.test' },
    });
    browser = await launchChromium();
    owner = await actor();
  }, 300_000);

  beforeEach(() => {
    if (owner) owner.errors.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('registers an organisation and opens Mission Control with the chain verified in the browser', async () => {
    const { page } = owner;
    await go(page, '/');
    await page.waitForURL(/\/login$/, WAIT);
    await page.getByRole('link', { name: 'Create an organisation' }).click();
    await page.getByLabel('Organisation name').fill(OWNER.org);
    await page.getByLabel('Work email').fill(OWNER.email);
    await page.getByLabel(/^Password/).fill(OWNER.password);
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.waitForURL(`${server.url}/`, WAIT);
    await page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    await page.locator('[data-testid="chain-badge"][data-state="verified"]').waitFor(WAIT);
    expect(await page.getByTestId('chain-badge').textContent()).toMatch(/Chain verified to seq [1-9]\d*/);
    await page.locator('[data-seq="1"]').waitFor(WAIT);
    expect(await page.locator('[data-seq="1"]').textContent()).toContain('cp.identity.org.created');
    await page.locator('[data-seq="1"]').click();
    const hash = await page.getByTestId('event-hash').textContent();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('event-prev').textContent()).toBe('0'.repeat(64));
    expect(owner.errors).toEqual([]);
  });

  it('invites a colleague by mail, who follows the link in a fresh browser and joins', async () => {
    const { page } = owner;
    await go(page, '/members');
    await page.getByRole('heading', { name: 'Invitations' }).waitFor(WAIT);
    await page.getByLabel('Email', { exact: true }).fill(INVITEE.email);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`The invitation mail to ${INVITEE.email} was sent.`).waitFor(WAIT);
    const mail = smtp.inbox.find((m) => m.to.includes(INVITEE.email));
    expect(mail).toBeDefined();
    const path = invitationPath(mail!.raw);
    expect(path).not.toBeNull();

    const invitee = await actor();
    await go(invitee.page, path!);
    await invitee.page.getByRole('heading', { name: 'Accept your invitation' }).waitFor(WAIT);
    await invitee.page.getByLabel('Password').fill(INVITEE.password);
    await invitee.page.getByRole('button', { name: 'Accept and join' }).click();
    await invitee.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    expect(await invitee.page.locator('header .org').textContent()).toBe(OWNER.org);

    await page.reload();
    await page.getByTestId('member-row').filter({ hasText: INVITEE.email }).waitFor(WAIT);
    expect(await page.getByTestId('member-row').count()).toBe(2);
    expect(invitee.errors).toEqual([]);
    expect(owner.errors).toEqual([]);
  });

  it('shows a playground call through the demo provider arriving live in Mission Control', async () => {
    const { page } = owner;
    await go(page, '/');
    await page.locator('[data-testid="stream-state"]', { hasText: 'live' }).waitFor(WAIT);
    expect(await page.locator('[data-seq]', { hasText: 'cp.llm.call.completed' }).count()).toBe(0);

    const playground = await owner.context.newPage();
    const playgroundErrors = watchErrors(playground);
    await go(playground, '/playground');
    await playground.getByLabel('Message').fill('Hello from the console test');
    await playground.getByRole('button', { name: 'Send' }).click();
    const answer = playground.getByTestId('turn-assistant');
    await answer.waitFor(WAIT);
    expect(await answer.textContent()).toContain('[demo]');
    await playground.locator('[data-seq]', { hasText: 'cp.llm.call.completed' }).waitFor(WAIT);

    const row = page.locator('[data-seq]', { hasText: 'cp.llm.call.completed' });
    await row.waitFor(WAIT);
    await row.click();
    expect(await page.locator('.envelope').textContent()).toContain('"type": "cp.llm.call.completed"');
    await playground.close();
    expect(playgroundErrors).toEqual([]);
    expect(owner.errors).toEqual([]);
  });

  it('downloads the CSV of exactly the filtered events', async () => {
    const { page } = owner;
    await go(page, '/');
    await page.getByLabel('Type (prefix)').fill('cp.llm.');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/type=cp\.llm\./, WAIT);
    await page.locator('[data-seq]', { hasText: 'cp.llm.call.completed' }).waitFor(WAIT);
    expect(await page.locator('[data-seq]', { hasText: 'cp.identity.' }).count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.getByRole('button', { name: 'Export CSV (current filters)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('cp.llm.call.completed');
    expect(csv).not.toContain('cp.identity.org.created');
    expect(owner.errors).toEqual([]);
  });

  it('exports an Evidence Pack, verifies it in the browser, and shows a tampered copy as invalid', async () => {
    const { page } = owner;
    await go(page, '/');
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.getByRole('button', { name: 'Export Evidence Pack' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^evidence-.*\.zip$/);
    const pack = readFileSync(await download.path());

    const input = page.getByTestId('pack-input');
    await input.setInputFiles({ name: 'pack.zip', mimeType: 'application/zip', buffer: pack });
    await page.locator('[data-testid="verify-report"][data-status="valid"]').waitFor(WAIT);
    expect(await page.getByTestId('verify-report').textContent()).toContain('VALID');

    const entries = unzipSync(new Uint8Array(pack));
    const events = strFromU8(entries['events.jsonl']!);
    expect(events).toContain(OWNER.org);
    entries['events.jsonl'] = strToU8(events.replace(OWNER.org, 'Acme Complianse'));
    const tampered = Buffer.from(zipSync(entries));
    await input.setInputFiles({ name: 'tampered.zip', mimeType: 'application/zip', buffer: tampered });
    await page.locator('[data-testid="verify-report"][data-status="invalid"]').waitFor(WAIT);
    const report = await page.getByTestId('verify-report').textContent();
    expect(report).toContain('INVALID');
    expect(report).toContain('FAIL');
    expect(owner.errors).toEqual([]);
  });

  it('reflects a budget cap edit in the KPIs, also after a reload', async () => {
    const { page } = owner;
    await go(page, '/cost');
    await page.getByTestId('kpi-cap').waitFor(WAIT);
    expect(await page.getByTestId('kpi-cap').textContent()).toContain('No cap');
    await page.getByLabel('Monthly cap (USD)').fill('25');
    await page.getByRole('button', { name: 'Save cap' }).click();
    await page.getByText('The cap is now $25.00 a month.').waitFor(WAIT);
    expect(await page.getByTestId('kpi-cap').textContent()).toContain('$25.00');
    await page.reload();
    await page.getByTestId('kpi-cap').waitFor(WAIT);
    expect(await page.getByTestId('kpi-cap').textContent()).toContain('$25.00');
    expect(owner.errors).toEqual([]);
  });

  it('validates and saves policy edits, and dry-runs prompts showing the masked text and the decision', async () => {
    const { page } = owner;
    await go(page, '/policies');
    await page.getByRole('button', { name: 'Dry run' }).waitFor(WAIT);
    await page.getByLabel('Prompt', { exact: true }).fill('Send the report to jane.doe@example.com today');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByTestId('dry-run-result').waitFor(WAIT);
    expect(await page.getByTestId('decision').textContent()).toBe('allow');
    const masked = await page.getByTestId('masked-text').first().textContent();
    expect(masked).toContain('Send the report to');
    expect(masked).not.toContain('jane.doe@example.com');

    const asJson = () => page.getByRole('button', { name: 'JSON', exact: true }).click();
    const asForm = () => page.getByRole('button', { name: 'Form', exact: true }).click();
    await asJson();
    const editor = page.getByLabel('Policy document (JSON)');
    const original = await editor.inputValue();
    await editor.fill('{ "providers": [');
    await page.getByText(/^Not valid JSON/).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Save policy' }).isDisabled()).toBe(true);
    const invalid = JSON.parse(original) as Record<string, unknown>;
    invalid.blockedPatterns = [{ name: 'repeated', pattern: '(a)\\1' }];
    await editor.fill(JSON.stringify(invalid));
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('alert').filter({ hasText: 'backreferences' }).waitFor(WAIT);
    await editor.fill(original);
    await asForm();
    await page.getByLabel('EMAIL').selectOption('block');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText(/^Saved as version \d+/).waitFor(WAIT);
    await page.getByLabel('Prompt', { exact: true }).fill('Send the report to jane.doe@example.com today');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.locator('[data-testid="decision"]', { hasText: 'block' }).waitFor(WAIT);
    await page.getByLabel('EMAIL').selectOption('mask');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText(/^Saved as version \d+/).waitFor(WAIT);

    await page
      .getByLabel('Prompt', { exact: true })
      .fill(
        'my key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----',
      );
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.locator('[data-testid="decision"]', { hasText: 'block' }).waitFor(WAIT);
    // The one refused save is the only thing the browser logs: its 400 response.
    expect(owner.errors).toEqual([expect.stringContaining('status of 400 (Bad Request)')]);
  });

  it('draws an agent run tree that grows live and opens in a pop-out window', async () => {
    const me = await owner.page.evaluate(() => JSON.parse(localStorage.getItem('proofpane.session') ?? '{}'));
    const org = me.org.id as string;
    const actor = { kind: 'agent' as const, id: 'planner' };
    await server.runtime.store.append({
      org,
      events: [
        {
          type: 'cp.run.started',
          subject: 'run/run_root',
          data: { kind: 'multi-agent', name: 'Quarterly review' },
          actor,
          meta: { runId: 'run_root' },
        },
      ],
    });
    const { page } = owner;
    await go(page, '/runs');
    const link = page.getByRole('link', { name: 'Quarterly review' });
    await link.waitFor(WAIT);
    await link.click();
    await page.locator('[data-testid="run-node"][data-run="run_root"]').waitFor(WAIT);

    await server.runtime.store.append({
      org,
      events: [
        {
          type: 'cp.run.started',
          subject: 'run/run_child',
          data: { kind: 'workflow', name: 'Collect evidence' },
          actor,
          meta: { runId: 'run_child', parentRunId: 'run_root' },
        },
      ],
    });
    await page.locator('[data-testid="run-node"][data-run="run_child"]').waitFor(WAIT);

    const [popup] = await Promise.all([
      page.waitForEvent('popup', WAIT),
      page.getByRole('button', { name: 'Open in pop-out window' }).click(),
    ]);
    const popupErrors = watchErrors(popup);
    await popup.locator('[data-testid="run-node"][data-run="run_child"]').waitFor(WAIT);
    expect(popup.url()).toContain('popout=1');
    expect(await popup.locator('nav#primary-nav').count()).toBe(0);
    await screenshot(popup, 'run-tree-popout');
    await popup.close();
    expect(popupErrors).toEqual([]);
    expect(owner.errors).toEqual([]);
  });

  it('shows an approval request live and approves it from the Approvals page', async () => {
    const { page } = owner;
    const api = (method: string, path: string, body?: unknown) =>
      page.evaluate(
        async ([m, url, payload]) => {
          const token = JSON.parse(localStorage.getItem('proofpane.session') ?? '{}').token as string;
          const response = await fetch(url as string, {
            method: m as string,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
          });
          return { status: response.status, body: await response.json() };
        },
        [method, path, body] as const,
      );
    const current = (await api('GET', '/api/policy')).body as { document: Record<string, unknown> };
    const saved = await api('PUT', '/api/policy', {
      ...current.document,
      hitl: { tools: ['write'], timeoutSeconds: 600 },
    });
    expect(saved.status).toBe(200);
    await go(page, '/approvals');
    await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor(WAIT);
    await page.getByText('Live', { exact: true }).waitFor(WAIT);
    const refused = await api('POST', '/api/tools/call', {
      tool: 'write',
      args: { path: 'notes.md', content: 'hi' },
    });
    expect(refused.status).toBe(403);
    const id = (refused.body as { hitlRequestId: string }).hitlRequestId;
    const card = page.getByTestId('pending-approval').filter({ hasText: 'tool/write' });
    await card.waitFor(WAIT);
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await card.waitFor({ state: 'detached', ...WAIT });
    expect(((await api('GET', `/api/hitl/${id}`)).body as { status: string }).status).toBe('approved');
    await page.getByRole('cell', { name: 'approved' }).first().waitFor(WAIT);
    await api('PUT', '/api/policy', current.document);
    // The refused tool call is the only thing the browser logs: its 403 response.
    expect(owner.errors).toEqual([expect.stringContaining('status of 403 (Forbidden)')]);
  });

  it('switches organisation from the account drawer and signs out', async () => {
    const { page } = owner;
    const created = await page.evaluate(async () => {
      const token = JSON.parse(localStorage.getItem('proofpane.session') ?? '{}').token as string;
      const response = await fetch('/api/orgs', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Second Org' }),
      });
      return response.status;
    });
    expect(created).toBe(201);
    await go(page, '/');
    // In the header: Mission Control's rows name the org too (its `org/…` subject, by name).
    await page
      .locator('header')
      .getByRole('button', { name: new RegExp(OWNER.org) })
      .click();
    const drawer = page.getByRole('dialog', { name: 'Account' });
    await drawer.getByRole('button', { name: /Switch to Second Org/ }).click();
    await page.locator('header .org', { hasText: 'Second Org' }).waitFor(WAIT);
    await page
      .locator('header')
      .getByRole('button', { name: /Second Org/ })
      .click();
    await page.getByRole('dialog', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/, WAIT);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    expect(owner.errors).toEqual([]);
  });

  const pages = [
    { path: '/', name: 'mission-control', ready: 'Mission Control' },
    { path: '/cost', name: 'cost', ready: 'Cost & Budget' },
    { path: '/runs', name: 'runs', ready: 'Agent Runs' },
    { path: '/runs/run_root', name: 'run-tree', ready: 'Quarterly review' },
    { path: '/policies', name: 'policies', ready: 'Policies' },
    { path: '/members', name: 'members', ready: 'Members' },
    { path: '/playground', name: 'playground', ready: 'Playground' },
    { path: '/approvals', name: 'approvals', ready: 'Approvals' },
  ];

  for (const width of [1280, 390]) {
    it(`renders every page at ${width} px without console errors or serious axe violations`, async () => {
      const signedIn = await actor({ width, height: 900 });
      await go(signedIn.page, '/login');
      await signedIn.page.getByLabel('Email').fill(OWNER.email);
      await signedIn.page.getByLabel('Password').fill(OWNER.password);
      await signedIn.page.getByRole('button', { name: 'Sign in' }).click();
      await signedIn.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
      const found: Record<string, unknown> = {};
      for (const p of pages) {
        await go(signedIn.page, p.path);
        await signedIn.page.getByRole('heading', { level: 1, name: p.ready }).waitFor(WAIT);
        // Every loading state gone (Mission Control loads its list, then its panels, each with its own).
        await signedIn.page.waitForFunction(
          () =>
            ![...document.querySelectorAll('[role="status"]')].some((e) =>
              /^Loading/.test(e.textContent ?? ''),
            ),
          undefined,
          WAIT,
        );
        const violations = await seriousA11yViolations(signedIn.page);
        if (violations.length) found[p.path] = violations;
        await screenshot(signedIn.page, `${p.name}-${width}`);
      }
      const anonymous = await actor({ width, height: 900 });
      for (const p of [
        { path: '/login', name: 'sign-in' },
        { path: '/register', name: 'register' },
        { path: '/invitations/accept#token=abcdefghijklmnopqrstuvwxyz', name: 'accept-invitation' },
      ]) {
        await go(anonymous.page, p.path);
        await anonymous.page.getByRole('heading', { level: 1 }).waitFor(WAIT);
        const violations = await seriousA11yViolations(anonymous.page);
        if (violations.length) found[p.path] = violations;
        await screenshot(anonymous.page, `${p.name}-${width}`);
      }
      expect(found).toEqual({});
      expect(signedIn.errors).toEqual([]);
      expect(anonymous.errors).toEqual([]);
    }, 120_000);
  }
});

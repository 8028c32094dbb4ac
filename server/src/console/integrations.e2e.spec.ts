import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGoogle, fakeSlack } from '../integrations/testing/fake-vendors.js';
import {
  type Actor,
  pageApi as api,
  ensureConsoleBuilt,
  launchChromium,
  openActor,
  screenshot,
} from './testing/browser.js';
import { type ConsoleServer, startConsoleServer } from './testing/console-server.js';
import { pageHealth, registerInBrowser } from './testing/page-checks.js';

const OWNER = {
  email: 'ida.integrations@example.test',
  password: 'owner password 1',
  org: 'Integration Works',
};
const BOT_TOKEN = 'xoxb-9999-8888-consolebottoken';
const SIGNING_SECRET = 'console-signing-secret-42';
const ALERTS_TOKEN = 'xoxb-9999-7777-consolealertstoken';
const WAIT = { timeout: 20_000 };

describe('the Integrations page in Chromium against a real server', () => {
  let server: ConsoleServer;
  let slack: Awaited<ReturnType<typeof fakeSlack>>;
  let google: Awaited<ReturnType<typeof fakeGoogle>>;
  let browser: Browser;
  let owner: Actor;
  const tokens = new Set([BOT_TOKEN, ALERTS_TOKEN]);

  beforeAll(async () => {
    ensureConsoleBuilt();
    slack = await fakeSlack({ teamId: 'T0CONSOLE', validTokens: tokens });
    google = await fakeGoogle({ codes: new Set(['4/console-code']), consoleBase: () => server.url });
    server = await startConsoleServer({
      env: {
        PROOFPANE_SLACK_API_URL: `${slack.url}/api/`,
        PROOFPANE_GOOGLE_CLIENT_ID: 'console-client.apps.googleusercontent.com',
        PROOFPANE_GOOGLE_CLIENT_SECRET: 'console-google-secret',
        PROOFPANE_GOOGLE_AUTH_URL: `${google.url}/auth`,
        PROOFPANE_GOOGLE_TOKEN_URL: `${google.url}/token`,
      },
    });
    browser = await launchChromium();
    owner = await openActor(browser);
    await registerInBrowser(owner.page, server.url, OWNER);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await slack?.close();
    await google?.close();
  });

  it('connects Slack from its form, shows reads and writes by field names, a revoked token, and disconnects', async () => {
    const { page } = owner;
    await page.goto(`${server.url}/integrations`);
    await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor(WAIT);
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Connect Slack' }) });
    await form.getByLabel('Name').fill('Ops alerts');
    await form.getByLabel('Bot token', { exact: true }).fill(BOT_TOKEN);
    await form.getByLabel('Channel id').fill('C0OPS0001');
    await form.getByLabel(/Signing secret/).fill(SIGNING_SECRET);
    await form.getByRole('button', { name: 'Connect Slack' }).click();
    const row = page.locator('[data-testid="connection"][data-kind="slack"]');
    await row.waitFor(WAIT);
    expect(await row.getByTestId('connection-status').textContent()).toContain('Active');
    expect(await form.getByLabel('Bot token', { exact: true }).inputValue()).toBe('');
    const html = await page.content();
    expect(html).not.toContain(BOT_TOKEN);
    expect(html).not.toContain(SIGNING_SECRET);

    const list = (await api(page, 'GET', '/api/integrations')).body as { integrations: { id: string }[] };
    const id = list.integrations[0]?.id;
    const posted = await api(page, 'POST', `/api/integrations/${id}/slack-alert`, {
      kind: 'budget',
      spentUsd: '90',
      capUsd: '100',
      summary: 'Ninety percent of the month',
    });
    expect(posted.status).toBe(200);
    await page.reload();
    const write = page.getByTestId('access').filter({ hasText: 'chat.postMessage' });
    await write.waitFor(WAIT);
    expect(await write.getByTestId('access-fields').textContent()).toBe('blocks, channel, text');
    expect(await page.content()).not.toContain('Ninety percent');
    const health = await pageHealth(page);
    expect(health).toEqual({ overflow: 0, violations: [] });
    await screenshot(page, 'integrations-active');

    tokens.delete(BOT_TOKEN);
    const refused = await api(page, 'POST', `/api/integrations/${id}/slack-alert`, {
      kind: 'budget',
      spentUsd: '95',
      capUsd: '100',
      summary: 'again',
    });
    expect(refused.body.code).toBe('integration_credential_revoked');
    await page.reload();
    await row.waitFor(WAIT);
    expect(await row.getByTestId('connection-status').textContent()).toContain('Revoked');

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByText('Ops alerts was disconnected.').waitFor(WAIT);
    expect(await page.locator('[data-testid="connection"][data-kind="slack"]').count()).toBe(0);
  });

  it('connects Slack for alerts from its form and shows held and declined Salesforce writes', async () => {
    const { page } = owner;
    const me = await api(page, 'GET', '/api/auth/me');
    const org = (me.body.org as { id: string }).id;
    const userId = (me.body.user as { id: string }).id;
    const hold = async (leadId: string) => {
      const opened = await server.app.hitl.request({
        org,
        actor: { kind: 'system', id: 'integrations' },
        kind: 'tool_call',
        target: 'integration/salesforce/Lead',
        args: { leadId },
        argsSha256: createHash('sha256').update(leadId).digest('hex'),
        summary: `Write Rating, Use_Case__c on Salesforce Lead ${leadId}`,
        reason: 'this Salesforce connection asks a person before each write',
        rulesMatched: [],
        dlp: {},
        timeoutSeconds: 7 * 86_400,
        autoApproveThreshold: Number.POSITIVE_INFINITY,
      });
      // What a held write's request is about, as the lead intake records it beside the request.
      await sql`
        INSERT INTO integration_held_write_targets (org, request_id, connection_id, lead_id, fields)
        VALUES (${org}, ${opened.requestId}, NULL, ${leadId}, ${JSON.stringify(['Rating', 'Use_Case__c'])})`.execute(
        server.app.runtime.database.db,
      );
      return opened;
    };
    await hold('00Q000000000021AAA');
    const declined = await hold('00Q000000000022AAA');
    await server.app.hitl.resolve({
      org,
      requestId: declined.requestId,
      decision: 'deny',
      remember: false,
      actor: { kind: 'user', id: userId },
    });

    await page.goto(`${server.url}/integrations`);
    await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor(WAIT);
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Connect Slack' }) });
    await form.getByLabel('Name').fill('Alert room');
    await form.getByLabel('Bot token', { exact: true }).fill(ALERTS_TOKEN);
    await form.getByLabel('Channel id').fill('C0ALERT01');
    await form.getByLabel(/Signing secret/).fill(SIGNING_SECRET);
    await form.getByLabel(/Approvers/).fill('U0APPROVE1');
    await form.getByLabel(/Approval requests/).check();
    await form.getByLabel(/Budget alerts/).check();
    await form.getByRole('button', { name: 'Connect Slack' }).click();
    const row = page.locator('[data-testid="connection"][data-kind="slack"]', { hasText: 'Alert room' });
    await row.waitFor(WAIT);
    expect(await row.getByTestId('connection-alerts').textContent()).toMatch(
      /Approval requests, Budget\s+to C0ALERT01/,
    );
    // An admin changes what the connection posts after connecting.
    await row.getByRole('button', { name: 'Change alerts' }).click();
    const editor = row.getByTestId('alerts-editor');
    await editor.getByLabel('Approval requests').uncheck();
    await editor.getByLabel('Quality drift').check();
    await editor.getByRole('button', { name: 'Save alerts' }).click();
    await page.getByText('Alert room now posts Quality drift, Budget.').waitFor(WAIT);
    expect(await row.getByTestId('connection-alerts').textContent()).toMatch(
      /^\s*Quality drift, Budget\s+to C0ALERT01/,
    );

    const held = page.getByTestId('held-write');
    await held.first().waitFor(WAIT);
    expect(await held.count()).toBe(2);
    const declinedRow = held.filter({ hasText: '00Q000000000022AAA' });
    expect(await declinedRow.getByTestId('held-write-state').textContent()).toContain('Declined');
    expect(await declinedRow.getByTestId('held-write-decider').textContent()).toBe(userId);
    expect(await declinedRow.textContent()).toContain('Rating, Use_Case__c');
    const waiting = held.filter({ hasText: '00Q000000000021AAA' });
    expect(await waiting.getByTestId('held-write-state').textContent()).toContain('Waiting for a person');
    expect(await pageHealth(page)).toEqual({ overflow: 0, violations: [] });
  });

  it("connects Gmail through Google's consent and back to the console", async () => {
    const { page } = owner;
    await page.goto(`${server.url}/integrations`);
    await page.getByRole('button', { name: 'Connect Gmail' }).click();
    const row = page.locator('[data-testid="connection"][data-kind="gmail"]');
    await row.waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe('/integrations');
    expect(await row.getByTestId('connection-status').textContent()).toContain('Active');
    const consent = google.received.find((r) => r.path.startsWith('/auth'));
    expect(new URL(consent?.path ?? '', 'http://x').searchParams.get('access_type')).toBe('offline');
  });
});

import { keptOutputSha256, type WorkflowGraph } from '@proofpane/commands';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSalesforce } from '../integrations/testing/fake-vendors.js';
import { openActor, pageApi, screenshot, seriousA11yViolations } from './testing/browser.js';
import { signedInConsole } from './testing/signed-in-console.js';

const WAIT = { timeout: 20_000 };
const REFRESH = '5Aep861-kept-outputs-console-refresh';
const OWNER = { email: 'kim.kept@example.test', password: 'owner password 1', org: 'Kept Outputs Ltd' };
const MEMBER = { email: 'mo.member@example.test', password: 'member password 1' };
const LEAD = {
  Id: '00Q00000000000KEPT',
  Company: 'Vandelay Industries',
  Title: 'Importer',
  LeadSource: 'Web',
  Country: 'US',
  Description: 'Art Vandelay art@vandelay.example',
  LastModifiedDate: '2026-02-01T10:00:00.000Z',
};

/** A manual trigger, then the org's Salesforce leads read: a step whose output is kept outside the log. */
const readLeads = (connection: string): WorkflowGraph => ({
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    {
      id: 'read',
      type: 'integration',
      config: { connection, operation: 'salesforce.read_leads', args: { limit: 5 } },
    },
  ] as WorkflowGraph['nodes'],
  edges: [{ from: 'start', to: 'read' }],
});

for (const driver of testDrivers) {
  describe(`a run's kept outputs on its console page on ${driver}`, () => {
    let sf: Awaited<ReturnType<typeof fakeSalesforce>>;
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      sf = await fakeSalesforce({ users: {}, refreshTokens: new Set([REFRESH]) });
      sf.state.leads.push({ ...LEAD });
      if (driver === 'postgres') database = await createTestDatabase('postgres');
    });
    afterAll(async () => {
      await sf?.close();
      await database?.dispose();
    });
    const ctx = signedInConsole(OWNER, {
      env: () => ({
        PROOFPANE_WORKFLOW_ENGINE: 'on',
        PROOFPANE_WORKFLOW_SWEEP_MS: '50',
        PROOFPANE_SALESFORCE_LOGIN_URL: sf.url,
        PROOFPANE_SALESFORCE_CLIENT_ID: 'sf-client',
        PROOFPANE_SALESFORCE_CLIENT_SECRET: 'sf-client-secret',
        PROOFPANE_SALESFORCE_INSTANCE_ORIGINS: sf.url,
        ...(database?.url ? { DATABASE_URL: database.url } : {}),
      }),
    });
    let runId = '';
    let recordedSha256 = '';

    /** Connects Salesforce, runs the lead read to its end and answers the run's id. */
    const runLeadRead = async (page: Page) => {
      const connected = await pageApi(page, 'POST', '/api/integrations/salesforce/connect', {
        method: 'refresh_token',
        refreshToken: REFRESH,
        fields: { category: 'Qualification__c' },
      });
      expect(connected.status, JSON.stringify(connected.body)).toBe(201);
      const created = await pageApi(page, 'POST', '/api/workflows', {
        name: 'Lead read',
        graph: readLeads(connected.body.id as string),
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const workflowId = created.body.id as string;
      const published = await pageApi(page, 'POST', `/api/workflows/${workflowId}/publish`, {});
      expect(published.status, JSON.stringify(published.body)).toBe(200);
      const started = await pageApi(page, 'POST', `/api/workflows/${workflowId}/runs`, { input: {} });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const id = started.body.runId as string;
      for (let i = 0; i < 400; i++) {
        const run = await pageApi(page, 'GET', `/api/workflow-runs/${id}`);
        if (run.body.status === 'succeeded') return id;
        if (run.body.status === 'failed') throw new Error(`the run failed: ${JSON.stringify(run.body)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`run ${id} never ended`);
    };

    it('shows an admin the kept value with the SHA-256 its event records, and erases it', async () => {
      const { page } = ctx.owner;
      const org = ((await pageApi(page, 'GET', '/api/auth/me')).body.org as { id: string }).id;
      runId = await runLeadRead(page);
      const events = await ctx.server.runtime.store.readSubject({ org, subject: `run/${runId}` });
      const completed = events.find(
        (e) => e.type === 'cp.workflow.step.completed' && (e.data as { nodeId: string }).nodeId === 'read',
      );
      if (!completed) throw new Error(`run ${runId} recorded no completion of its read step`);
      const reference = (completed.data as { output: { kept: { ref: string; sha256: string } } }).output.kept;
      expect(reference.ref).toBe(`workflow-output/${runId}/read/1`);
      recordedSha256 = reference.sha256;
      expect(JSON.stringify(events)).not.toContain(LEAD.Company);

      await ctx.go(page, `/workflow-runs/${runId}`);
      const section = page.getByRole('region', { name: 'Kept outputs' });
      const item = section.locator('[data-testid="kept-output"][data-node="read"]');
      await item.waitFor(WAIT);
      expect(await item.getAttribute('data-attempt')).toBe('1');
      expect(await section.textContent()).toContain('kept outside the audit log');
      expect(await item.getByTestId('kept-output-sha256').textContent()).toBe(recordedSha256);
      expect(await item.getByTestId('kept-output-match').textContent()).toContain("matches the step's event");
      expect(await item.textContent()).toMatch(/expires/);

      // Collapsed until asked for; then the whole value, pretty-printed, in a box of bounded height.
      const value = item.getByTestId('kept-output-value');
      expect(await value.isVisible()).toBe(false);
      await item.getByText('Value', { exact: true }).click();
      await value.waitFor({ state: 'visible', ...WAIT });
      const text = (await value.textContent()) ?? '';
      expect(text).toContain('\n  "leads": [');
      const shown = JSON.parse(text) as { leads: Record<string, unknown>[] };
      expect(shown.leads[0]).toMatchObject(LEAD);
      expect(keptOutputSha256(shown)).toBe(recordedSha256);
      expect(await value.evaluate((el) => getComputedStyle(el).maxHeight)).not.toBe('none');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `workflow-run-kept-outputs-${driver}`);

      page.once('dialog', (dialog) => void dialog.accept());
      await section.getByRole('button', { name: 'Erase now' }).click();
      const empty = section.getByTestId('kept-outputs-empty');
      await empty.waitFor(WAIT);
      expect(await empty.textContent()).toContain('Erased 1 kept output.');
      expect(await section.getByTestId('kept-output').count()).toBe(0);
      const after = await pageApi(page, 'GET', `/api/workflow-runs/${runId}/kept-outputs`);
      expect(after.body).toEqual({ outputs: [] });
      const erasures = (await ctx.server.runtime.store.readOrg({ org })).filter(
        (e) => e.type === 'cp.workflow.outputs.erased',
      );
      expect(erasures).toHaveLength(1);

      await page.reload();
      await section.getByText('Nothing of this run is kept outside the log.').waitFor(WAIT);
      expect(await section.getByRole('button', { name: 'Erase now' }).count()).toBe(0);
      expect(ctx.owner.errors).toEqual([]);
    }, 120_000);

    it("shows the API's message when the kept outputs cannot be read", async () => {
      const admin = await openActor(ctx.browser);
      await admin.context.addInitScript(
        (session) => localStorage.setItem('proofpane.session', session),
        await ctx.owner.page.evaluate(() => localStorage.getItem('proofpane.session') ?? ''),
      );
      await admin.page.route('**/api/workflow-runs/*/kept-outputs', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            type: 'about:blank',
            code: 'unavailable',
            status: 503,
            title: 'Service Unavailable',
            detail: 'the kept outputs table is being migrated; try again in a minute',
          }),
        }),
      );
      await ctx.go(admin.page, `/workflow-runs/${runId}`);
      const alert = admin.page
        .getByRole('region', { name: 'Kept outputs' })
        .getByRole('alert')
        .filter({ hasText: 'the kept outputs table is being migrated; try again in a minute' });
      await alert.waitFor(WAIT);
      await admin.context.close();
    }, 60_000);

    it('shows a member no kept outputs and never asks the admin route for them', async () => {
      const invited = await pageApi(ctx.owner.page, 'POST', '/api/invitations', {
        email: MEMBER.email,
        role: 'member',
      });
      expect(invited.status, JSON.stringify(invited.body)).toBe(201);
      const link = new URL((invited.body.delivery as { link: string }).link);
      const member = await openActor(ctx.browser);
      const asked: string[] = [];
      member.page.on('request', (request) => asked.push(request.url()));
      await ctx.go(member.page, `${link.pathname}${link.hash}`);
      await member.page.getByLabel('Password').fill(MEMBER.password);
      await member.page.getByRole('button', { name: 'Accept and join' }).click();
      await member.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);

      await ctx.go(member.page, `/workflow-runs/${runId}`);
      await member.page.locator('[data-testid="step-row"][data-node="read"]').waitFor(WAIT);
      await member.page.getByRole('heading', { name: 'Input' }).waitFor(WAIT);
      expect(asked.some((url) => url.includes(`/api/workflow-runs/${runId}`))).toBe(true);
      expect(await member.page.getByRole('heading', { name: 'Kept outputs' }).count()).toBe(0);
      expect(asked.filter((url) => url.includes('kept-outputs'))).toEqual([]);
      expect(member.errors).toEqual([]);
      await member.context.close();
    }, 120_000);
  });
}

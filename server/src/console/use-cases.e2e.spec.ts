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

const OWNER = { email: 'uma.usecase@example.test', password: 'owner password 1', org: 'Case Works' };
const SECOND = { email: 'rita.reviewer@example.test', password: 'second admin password 1' };
const WAIT = { timeout: 20_000 };

describe('AI use cases in the console, in Chromium against a real server', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let owner: Actor;
  /** The case the first walk registers, for the narrow-screen pass. */
  let caseId = '';

  const actor = (size: { width?: number; height?: number } = {}) => openActor(browser, size);
  const go = (page: Page, path: string) => page.goto(`${server.url}${path}`);

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startConsoleServer();
    browser = await launchChromium();
    owner = await actor();
    await go(owner.page, '/register');
    await owner.page.getByLabel('Organisation name').fill(OWNER.org);
    await owner.page.getByLabel('Work email').fill(OWNER.email);
    await owner.page.getByLabel(/^Password/).fill(OWNER.password);
    await owner.page.getByRole('button', { name: 'Create organisation' }).click();
    await owner.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('registers a case, screens its tier, confirms it and keeps four eyes on approval', async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Use cases' }).click();
    await page.getByRole('heading', { level: 1, name: 'AI use cases' }).waitFor(WAIT);
    await page.getByText('No use cases yet.').waitFor(WAIT);

    await page.getByRole('button', { name: 'Register a use case' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Applicant ranker');
    await page
      .getByLabel('Purpose')
      .fill(
        'Ranks job applicants for employment decisions before a recruiter reads them; HR expects high risk.',
      );
    await page.getByLabel('Business unit').fill('People');
    await page.getByLabel('Users affected').fill('Job applicants');
    await page.getByLabel('Personal data').check();
    await page.getByLabel(/^Models and vendors/).fill('demo/demo');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Register as draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Applicant ranker' }).waitFor(WAIT);
    expect(await page.getByTestId('use-case-status').textContent()).toBe('Draft');
    expect(await page.getByTestId('use-case-tier').textContent()).toBe('Tier not assessed');
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    caseId = id;

    // No tier yet: submitting is refused with what to do.
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByRole('alert').filter({ hasText: 'set or confirm the EU AI Act risk tier' }).waitFor(WAIT);

    await page.getByRole('button', { name: 'Suggest a tier' }).click();
    await page.getByTestId('tier-suggestion').waitFor(WAIT);
    await page.getByTestId('suggestion-row').waitFor(WAIT);
    // A suggestion is not the tier until a person confirms it.
    expect(await page.getByTestId('use-case-tier').textContent()).toBe('Tier not assessed');
    await page.getByRole('button', { name: 'Confirm this tier' }).click();
    await page.getByText('Tier confirmed').waitFor(WAIT);
    // The demo model names the tier and the Annex III area the purpose mentions.
    expect(await page.getByTestId('use-case-tier').textContent()).toBe('High risk');
    expect(await page.getByTestId('use-case-area').textContent()).toBe(
      'Annex III: Employment, workers management, self-employment access',
    );

    // The screening run is linked to the case, with its outcome and cost (the list is a read model).
    for (let i = 0; (await page.getByTestId('linked-run').count()) === 0; i++) {
      expect(i, 'the linked run never showed').toBeLessThan(100);
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Linked runs' }).waitFor(WAIT);
      await page.waitForTimeout(100);
    }
    expect(await page.getByTestId('linked-run').first().textContent()).toMatch(/skill.*succeeded.*\$/);

    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByTestId('use-case-status').filter({ hasText: 'In review' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('alert').filter({ hasText: 'another admin or owner must approve it' }).waitFor(WAIT);
    expect(await page.getByTestId('use-case-status').textContent()).toBe('In review');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'use-case-detail');

    const invited = await api(page, 'POST', '/api/invitations', { email: SECOND.email, role: 'admin' });
    expect(invited.status).toBe(201);
    const link = new URL((invited.body.delivery as { link: string }).link);
    const second = await actor();
    await go(second.page, `${link.pathname}${link.hash}`);
    await second.page.getByLabel('Password').fill(SECOND.password);
    await second.page.getByRole('button', { name: 'Accept and join' }).click();
    await second.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    await go(second.page, `/use-cases/${encodeURIComponent(id)}`);
    await second.page.getByRole('heading', { level: 1, name: 'Applicant ranker' }).waitFor(WAIT);
    await second.page.getByLabel(/^Note for the record/).fill('Checked the DPIA with HR.');
    await second.page.getByRole('button', { name: 'Approve' }).click();
    await second.page.getByTestId('use-case-status').filter({ hasText: 'Approved' }).waitFor(WAIT);
    await second.page
      .getByTestId('history-entry')
      .filter({ hasText: 'from In review to Approved: “Checked the DPIA with HR.”' })
      .waitFor(WAIT);
    expect(await second.page.getByTestId('history-entry').first().textContent()).toContain(OWNER.email);
    expect(second.errors).toEqual([]);

    // A published workflow started from the case's page is linked to the case.
    const workflow = await api(page, 'POST', '/api/workflows', {
      name: 'Screen applicants',
      graph: {
        nodes: [
          { id: 'start', type: 'trigger', config: { kind: 'manual' } },
          {
            id: 'classify',
            type: 'skill',
            config: {
              skill: 'intake.classify_use_case',
              input: { name: 'Applicant ranker', description: 'Ranks job applicants.' },
            },
          },
        ],
        edges: [{ from: 'start', to: 'classify' }],
      },
    });
    expect(workflow.status).toBe(201);
    expect((await api(page, 'POST', `/api/workflows/${workflow.body.id}/publish`, {})).status).toBe(200);
    await page.reload();
    await page.getByLabel(/^Workflow/).selectOption({ label: 'Screen applicants (v1)' });
    await page.getByRole('button', { name: 'Start the run' }).click();
    await page.getByRole('status').filter({ hasText: 'Started' }).waitFor(WAIT);
    for (
      let i = 0;
      (await page.getByTestId('linked-run').filter({ hasText: 'workflow' }).count()) === 0;
      i++
    ) {
      expect(i, 'the workflow run never showed').toBeLessThan(100);
      await page.waitForTimeout(100);
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Linked runs' }).waitFor(WAIT);
    }

    // The case's documents: upload one, see it listed, find it by search.
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Documents' }).waitFor(WAIT);
    await page.getByText('No documents yet').waitFor(WAIT);
    await page.getByLabel('Document file').setInputFiles({
      name: 'retention-policy.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        'Applicant data is kept for six months, then erased. Recruiters see the ranking only.',
      ),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByTestId('documents-panel').getByText('retention-policy.txt').waitFor(WAIT);
    await page.getByLabel('Search query').fill('how long is applicant data kept');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page
      .getByTestId('documents-panel')
      .getByText(/kept for six months/)
      .waitFor(WAIT);

    // The list filters by status and tier, and says when nothing matches.
    await go(page, '/use-cases');
    for (let i = 0; ; i++) {
      await page.getByLabel('Status').selectOption('approved');
      await page.waitForTimeout(100);
      if ((await page.getByTestId('use-case-row').count()) === 1) break;
      expect(i, 'the approved case never showed in the list').toBeLessThan(100);
      await page.reload();
    }
    expect(await page.getByTestId('use-case-row').textContent()).toContain('Approved');
    const tier = (await api(page, 'GET', `/api/use-cases/${id}`)).body.riskTier as string;
    await page.getByLabel('Tier').selectOption(tier === 'prohibited' ? 'minimal' : 'prohibited');
    await page.getByText('No use case matches these filters.').waitFor(WAIT);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'use-case-list');
    expect(owner.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  }, 120_000);

  it('renders the register and a case on a phone-sized screen without console errors or serious axe violations', async () => {
    expect(caseId).not.toBe('');
    const phone = await actor({ width: 390, height: 844 });
    await go(phone.page, '/login');
    await phone.page.getByLabel('Email').fill(OWNER.email);
    await phone.page.getByLabel('Password').fill(OWNER.password);
    await phone.page.getByRole('button', { name: 'Sign in' }).click();
    await phone.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
    await go(phone.page, '/use-cases');
    await phone.page.getByTestId('use-case-row').first().waitFor(WAIT);
    expect(await seriousA11yViolations(phone.page)).toEqual([]);
    await screenshot(phone.page, 'use-case-list-390');
    await go(phone.page, `/use-cases/${encodeURIComponent(caseId)}`);
    await phone.page.getByRole('heading', { level: 1, name: 'Applicant ranker' }).waitFor(WAIT);
    await phone.page.getByTestId('history-entry').first().waitFor(WAIT);
    expect(await seriousA11yViolations(phone.page)).toEqual([]);
    await screenshot(phone.page, 'use-case-detail-390');
    expect(phone.errors).toEqual([]);
  }, 60_000);
});

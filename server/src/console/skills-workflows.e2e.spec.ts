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

const OWNER = { email: 'wanda.workflows@example.test', password: 'owner password 1', org: 'Workflow Works' };
const MEMBER = { email: 'mo.member@example.test', password: 'member password 1' };
const WAIT = { timeout: 20_000 };
/** A workflow run on the demo provider ends in seconds; a loaded machine gets more time, never a bound. */
const RUN_WAIT = { timeout: 90_000 };

describe('skills, workflows and workflow runs in the console, in Chromium against a real server', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let owner: Actor;
  let gapCheckId = '';
  let gapRunId = '';
  let skillRunId = '';

  const actor = (size: { width?: number; height?: number } = {}) => openActor(browser, size);
  const go = (page: Page, path: string) => page.goto(`${server.url}${path}`);

  async function signIn(a: Actor, who: { email: string; password: string }) {
    await go(a.page, '/login');
    await a.page.getByLabel('Email').fill(who.email);
    await a.page.getByLabel('Password').fill(who.password);
    await a.page.getByRole('button', { name: 'Sign in' }).click();
    await a.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);
  }

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

  it('lists the catalogue by category, names refused fields beside them, and runs a skill on the demo provider', async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Skills' }).click();
    await page.getByRole('heading', { level: 1, name: 'Skills' }).waitFor(WAIT);
    await page.getByTestId('skill-category').first().waitFor(WAIT);
    expect(await page.getByTestId('skill-category').locator('h2').allTextContents()).toEqual([
      'Intake',
      'Risk',
      'Vendor',
      'Policy',
      'Monitoring',
      'Audit',
      'Training',
      'External',
    ]);
    expect(await page.getByTestId('skill-card').count()).toBe(24);
    const card = page.locator('[data-testid="skill-card"][data-skill="intake.classify_use_case"]');
    expect(await card.textContent()).toContain('NIST-AI-RMF:MAP 1.1');
    expect(await card.textContent()).toContain('v1.0.0');

    await card.getByRole('link', { name: 'Classify an AI use case' }).click();
    await page.getByRole('heading', { level: 1, name: 'Classify an AI use case' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Run skill' }).click();
    const problem = page.getByTestId('problem');
    await problem.waitFor(WAIT);
    expect(await problem.textContent()).toContain("The input does not match the skill's input schema.");
    expect(await page.locator('[data-field="name"] .field-error').textContent()).toBe('is required');
    expect(await page.locator('[data-field="description"] .field-error').textContent()).toBe('is required');
    expect(await page.locator('[data-field="department"] .field-error').count()).toBe(0);
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Name', { exact: true }).fill('Claims assistant');
    await page
      .getByLabel('Description', { exact: true })
      .fill('Drafts answers to insurance claim questions for support staff, who review each one.');
    await page.getByRole('button', { name: 'Run skill' }).click();
    const result = page.getByTestId('skill-result');
    await result.waitFor(WAIT);
    expect(await page.getByTestId('problem').count()).toBe(0);
    const output = page.getByTestId('readable-output');
    expect(await output.locator('dt').allTextContents()).toEqual(
      expect.arrayContaining(['Category', 'Deployment', 'Techniques', 'Rationale', 'Confidence']),
    );
    expect(await output.textContent()).toContain('[demo]');
    expect(await result.textContent()).toContain('demo/');
    await screenshot(page, 'skill-run-result');
    const link = page.getByTestId('skill-run-link');
    skillRunId = (await link.textContent()) ?? '';
    expect(skillRunId).toMatch(/^run_/);
    await link.click();
    await page.locator(`[data-testid="run-node"][data-run="${skillRunId}"]`).waitFor(WAIT);
    expect(await page.locator(`[data-testid="run-node"][data-run="${skillRunId}"]`).textContent()).toContain(
      'succeeded',
    );
    // The refused run is the only thing the browser logs: its 400 response.
    expect(owner.errors).toEqual([expect.stringContaining('status of 400 (Bad Request)')]);
    owner.errors.length = 0;
  });

  it('clones a template from the empty list, publishes it, and runs its sample input to the end live', async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByText('No workflows yet.').waitFor(WAIT);
    expect(await page.getByTestId('workflow-template').count()).toBe(8);
    await screenshot(page, 'workflows-empty');
    await page.getByRole('button', { name: 'Use the template Policy gap check' }).click();
    await page.waitForURL(/\/workflows\/[^/]+$/, WAIT);
    gapCheckId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.getByRole('heading', { level: 1, name: 'Policy gap check' }).waitFor(WAIT);
    expect(await page.getByTestId('workflow-status').textContent()).toBe('draft');

    await page.locator('[data-testid="workflow-node"][data-node="gaps"]').waitFor(WAIT);
    expect(await page.getByTestId('workflow-node').count()).toBe(3);
    const gaps = await page.locator('[data-testid="workflow-node"][data-node="gaps"]').textContent();
    expect(gaps).toContain('skill');
    expect(gaps).toContain('Find the gaps between a policy and a framework');
    expect(await page.locator('[data-testid="workflow-node"][data-node="start"]').textContent()).toContain(
      'Starts by manual',
    );
    expect(await page.locator('.svelte-flow__edge').count()).toBe(2);
    expect(await page.getByText('Runs start on a published version.').count()).toBe(1);

    await page.getByRole('button', { name: 'Publish v1' }).click();
    await page.getByText(/^Version 1 is published, pinned by /).waitFor(WAIT);
    expect(await page.getByTestId('workflow-status').textContent()).toBe('published');
    expect(await page.locator('[data-testid="version-row"][data-version="1"]').textContent()).toContain(
      'published',
    );
    expect(await page.getByRole('button', { name: 'Publish v1' }).count()).toBe(0);

    const policyText = page.getByLabel('Policy text', { exact: true });
    await policyText.waitFor(WAIT);
    expect(await policyText.inputValue()).toContain('Staff may use approved AI assistants');
    expect(await page.getByLabel('Framework', { exact: true }).inputValue()).toBe('iso_42001');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/workflow-runs\/[^/]+$/, WAIT);
    gapRunId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(
      await page
        .getByRole('navigation', { name: 'Primary' })
        .getByRole('link', { name: 'Workflows' })
        .getAttribute('aria-current'),
    ).toBe('page');

    await page
      .locator('[data-testid="run-status"]', { hasText: /^(succeeded|failed|cancelled)$/ })
      .waitFor(RUN_WAIT);
    expect(await page.getByTestId('run-status').textContent()).toBe('succeeded');
    await page.locator('[data-testid="step-row"][data-node="controls"]').waitFor(WAIT);
    const nodes = await page
      .getByTestId('step-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node')));
    expect(nodes).toEqual(expect.arrayContaining(['gaps', 'controls']));
    const statuses = await page.getByTestId('step-status').allTextContents();
    expect(statuses.filter((s) => !s.startsWith('completed'))).toEqual([]);
    const gapsRow = page.locator('[data-testid="step-row"][data-node="gaps"]');
    expect(await gapsRow.textContent()).toContain('Find the gaps between a policy and a framework');
    await gapsRow.getByText('Output', { exact: true }).click();
    expect(await gapsRow.locator('dt').allTextContents()).toEqual(
      expect.arrayContaining(['Coverage percent', 'Summary']),
    );
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    const input = page.getByRole('region', { name: 'Input', exact: true }).getByTestId('readable-output');
    expect(await input.textContent()).toContain('iso_42001');

    await page.getByRole('link', { name: 'Run tree in Agent Runs' }).click();
    await page.locator(`[data-testid="run-node"][data-run="${gapRunId}"]`).waitFor(WAIT);
    expect(await page.getByTestId('run-node').count()).toBeGreaterThanOrEqual(3);
    expect(owner.errors).toEqual([]);
  }, 150_000);

  it('compares two versions: steps and connections added, removed and changed, and draws the new labels', async () => {
    const { page } = owner;
    const current = await api(page, 'GET', `/api/workflows/${gapCheckId}`);
    const graph = current.body.graph as {
      nodes: { id: string; type: string; config: Record<string, unknown> }[];
    };
    const nodes = graph.nodes.map((n) =>
      n.id === 'controls' ? { ...n, config: { ...n.config, timeoutMs: 60_000 } } : n,
    );
    const saved = await api(page, 'PUT', `/api/workflows/${gapCheckId}`, {
      graph: {
        nodes: [
          ...nodes,
          {
            id: 'low_coverage',
            type: 'condition',
            config: { value: '$.nodes.gaps.output.coveragePercent', op: 'lt', compareTo: 50 },
          },
        ],
        edges: [
          { from: 'start', to: 'gaps' },
          { from: 'gaps', to: 'low_coverage' },
          { from: 'low_coverage', to: 'controls', when: 'true' },
        ],
      },
    });
    expect(saved.status).toBe(200);

    await go(page, `/workflows/${gapCheckId}`);
    await page.getByRole('heading', { level: 2, name: 'Graph of version 2' }).waitFor(WAIT);
    await page.locator('[data-testid="workflow-node"][data-node="low_coverage"]').waitFor(WAIT);
    expect(
      await page.locator('[data-testid="workflow-node"][data-node="low_coverage"]').textContent(),
    ).toContain('Checks lt');
    expect(await page.locator('.svelte-flow__edge-label').allTextContents()).toEqual(['true']);
    await page.getByRole('button', { name: 'Show the graph of v1' }).click();
    await page.getByRole('heading', { level: 2, name: 'Graph of version 1' }).waitFor(WAIT);
    await page.locator('[data-testid="workflow-node"][data-node="gaps"]').waitFor(WAIT);
    expect(await page.getByTestId('workflow-node').count()).toBe(3);

    await page.getByLabel('From', { exact: true }).selectOption('1');
    await page.getByLabel('To', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByTestId('workflow-diff').waitFor(WAIT);
    expect(await page.getByTestId('diff-node-added').allTextContents()).toEqual(['low_coverage (condition)']);
    expect(await page.getByTestId('diff-node-changed').allTextContents()).toEqual([
      'controls: config.timeoutMs',
    ]);
    expect(await page.getByTestId('diff-node-removed').count()).toBe(0);
    expect((await page.getByTestId('diff-edge-added').allTextContents()).sort()).toEqual([
      'gaps → low_coverage',
      'low_coverage → controls when true',
    ]);
    expect(await page.getByTestId('diff-edge-removed').allTextContents()).toEqual(['start → controls']);
    expect(await page.getByRole('button', { name: 'Publish v2' }).count()).toBe(1);
    expect(owner.errors).toEqual([]);
  });

  it('shows a run waiting on a person with the way to Approvals, and cancels it', async () => {
    const { page } = owner;
    await go(page, '/workflows');
    await page.getByTestId('workflow-row').first().waitFor(WAIT);
    await page.getByText('Start another from a template').click();
    await page.getByRole('button', { name: 'Use the template AI vendor onboarding' }).click();
    await page.getByRole('heading', { level: 1, name: 'AI vendor onboarding' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Publish v1' }).click();
    await page.getByText(/^Version 1 is published/).waitFor(WAIT);
    await page.getByLabel('Vendor name', { exact: true }).waitFor(WAIT);
    expect(await page.getByLabel('Certifications', { exact: true }).inputValue()).toBe('SOC 2 Type II');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/workflow-runs\/[^/]+$/, WAIT);

    const waiting = page.getByTestId('run-waiting');
    await waiting.waitFor(RUN_WAIT);
    expect(await page.getByTestId('run-status').textContent()).toBe('waiting');
    expect(await waiting.textContent()).toContain('approval');
    expect(
      await waiting.getByRole('link', { name: 'Decide on the Approvals page' }).getAttribute('href'),
    ).toBe('/approvals');
    expect(
      await page
        .locator('[data-testid="step-row"][data-node="approval"] [data-testid="step-status"]')
        .textContent(),
    ).toBe('waiting');
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('[data-testid="run-status"]', { hasText: 'cancelled' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    expect(await page.getByTestId('run-waiting').count()).toBe(0);
    expect(owner.errors).toEqual([]);
  }, 150_000);

  it('hides publish and deprecate from a member, who still reads and runs the workflow', async () => {
    const invited = await api(owner.page, 'POST', '/api/invitations', {
      email: MEMBER.email,
      role: 'member',
    });
    expect(invited.status).toBe(201);
    const link = new URL((invited.body.delivery as { link: string }).link);
    const member = await actor();
    await go(member.page, `${link.pathname}${link.hash}`);
    await member.page.getByLabel('Password').fill(MEMBER.password);
    await member.page.getByRole('button', { name: 'Accept and join' }).click();
    await member.page.getByRole('heading', { name: 'Mission Control' }).waitFor(WAIT);

    await go(member.page, `/workflows/${gapCheckId}`);
    await member.page.getByRole('heading', { level: 1, name: 'Policy gap check' }).waitFor(WAIT);
    await member.page.getByRole('button', { name: 'Start run' }).waitFor(WAIT);
    expect(await member.page.getByRole('button', { name: /^Publish/ }).count()).toBe(0);
    expect(await member.page.getByRole('button', { name: 'Deprecate' }).count()).toBe(0);
    await member.page.getByText('Only admins and owners can publish or deprecate a workflow').waitFor(WAIT);
    await go(member.page, '/workflows');
    await member.page.getByTestId('workflow-row').first().waitFor(WAIT);
    await member.page.getByText('Start another from a template').click();
    expect(await member.page.getByRole('button', { name: /^Use the template/ }).count()).toBe(0);

    await go(owner.page, `/workflows/${gapCheckId}`);
    await owner.page.getByRole('button', { name: 'Deprecate' }).waitFor(WAIT);
    owner.page.once('dialog', (dialog) => void dialog.accept());
    await owner.page.getByRole('button', { name: 'Deprecate' }).click();
    await owner.page.getByText('The workflow is deprecated.').waitFor(WAIT);
    expect(await owner.page.getByTestId('workflow-status').textContent()).toBe('deprecated');
    expect(await owner.page.getByRole('button', { name: /^Publish/ }).count()).toBe(0);
    expect(member.errors).toEqual([]);
    expect(owner.errors).toEqual([]);
    await member.context.close();
  });

  for (const width of [1280, 390]) {
    it(`lays the new pages out at ${width} px without horizontal overflow, console errors or serious axe violations`, async () => {
      const viewer = await actor({ width, height: 900 });
      await signIn(viewer, OWNER);
      const pages = [
        { path: '/skills', name: 'skills', ready: 'Skills', shown: '[data-testid="skill-card"]' },
        {
          path: '/skills/intake.classify_use_case',
          name: 'skill',
          ready: 'Classify an AI use case',
          shown: '[data-field="name"]',
        },
        { path: '/workflows', name: 'workflows', ready: 'Workflows', shown: '[data-testid="workflow-row"]' },
        {
          path: `/workflows/${gapCheckId}`,
          name: 'workflow',
          ready: 'Policy gap check',
          shown: '[data-testid="workflow-node"]',
        },
        {
          path: `/workflow-runs/${gapRunId}`,
          name: 'workflow-run',
          ready: `Workflow run ${gapRunId}`,
          shown: '[data-testid="step-row"]',
        },
      ];
      const overflow: Record<string, number> = {};
      const found: Record<string, unknown> = {};
      for (const p of pages) {
        await go(viewer.page, p.path);
        await viewer.page.getByRole('heading', { level: 1, name: p.ready }).waitFor(WAIT);
        await viewer.page.locator(p.shown).first().waitFor(WAIT);
        const extra = await viewer.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (extra > 0) overflow[p.path] = extra;
        const violations = await seriousA11yViolations(viewer.page);
        if (violations.length) found[p.path] = violations;
        await screenshot(viewer.page, `${p.name}-${width}`);
      }
      expect(overflow).toEqual({});
      expect(found).toEqual({});
      expect(viewer.errors).toEqual([]);
      await viewer.context.close();
    }, 120_000);
  }
});

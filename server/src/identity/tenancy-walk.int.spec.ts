import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleCommand, puItemDecider, puItemId, puItemSubject } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../documents/testing/multipart.js';
import { bodySchemaOf, sampleFromSchema } from '../testing/schema-sample.js';
import type { TestApp } from '../testing/test-app.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from './testing/identity-test-app.js';

interface Victim {
  owner: Account;
  orgName: string;
  memberId: string;
  memberEmail: string;
  inviteeEmail: string;
  invitationId: string;
  key: { id: string; key: string };
  keyPrefix: string;
  deviceId: string;
  deviceToken: string;
  approverId: string;
  mcpServerId: string;
  workflowId: string;
  builderProposalId: string;
  hitlRequestId: string;
  runId: string;
  overrideId: string;
  useCaseId: string;
  documentId: string;
  suiteId: string;
  skillRunId: string;
  triageItemId: string;
  crossVendorRunId: string;
  consensusRunId: string;
  geneId: string;
  capsuleId: string;
  integrationId: string;
  coderSessionId: string;
  puItemId: string;
  /** Values of the victim's own capabilities that no other org may ever see. */
  secrets: string[];
}

const VICTIM_PROVIDER_KEY = 'sk-victim-provider-key-0123456789abcdef';
const VICTIM_FILE_TEXT = 'victim-workspace-file-text';
const VICTIM_PATTERN = 'victim-blocked-pattern';
const VICTIM_AGENT = 'victim_agent';
const VICTIM_DEVICE = 'victim laptop';
const VICTIM_MCP = 'victim-mcp-server';
const VICTIM_WORKFLOW = 'victim-workflow-name';
const VICTIM_BUILDER_ASK = 'victim-builder-request';
const VICTIM_OVERRIDE_REASON = 'victim-override-reason';
const VICTIM_USE_CASE = 'victim-use-case-name';
const VICTIM_DOCUMENT_TEXT = 'victim-document-retention-clause';
const VICTIM_DOCUMENT_TITLE = 'victim-document-title';
const VICTIM_SUITE = 'victim-cross-vendor-suite';
const VICTIM_CONSENSUS = 'victim-consensus-question';
const VICTIM_JUDGED = 'victim-judged-system-description';
const VICTIM_GENE = 'victim-gene-instruction';
const VICTIM_CODER_GOAL = 'victim-coder-goal';
const VICTIM_PU_TITLE = 'victim-parallel-universe-story';
const VICTIM_SLACK_LABEL = 'victim-slack-connection';
const VICTIM_WEBHOOK = 'https://hooks.slack.com/services/TVICTIM01/BVICTIM01/victimwebhooksecretpath';

/** Data in every capability of the victim's org: the walk must neither show nor change any of it. */
async function setUpVictim(t: TestApp): Promise<Victim> {
  const orgName = `Victim Org ${Math.random().toString(36).slice(2)}`;
  const owner = await registerAccount(t.app, { orgName, email: 'victim-owner@victim.test' });
  const as = async (method: InjectOptions['method'], url: string, payload?: object, status = 200) => {
    const res = await t.app.inject({
      method,
      url,
      headers: auth(owner.token),
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return res.json();
  };
  const invite = (email: string) => as('POST', '/api/invitations', { email, role: 'member' }, 201);
  const joined = await invite('victim-member@victim.test');
  const token = joined.delivery.link.split('#token=')[1];
  const accepted = await t.app.inject({
    method: 'POST',
    url: '/api/invitations/accept',
    payload: { token, password: 'victim member password' },
  });
  const pending = await invite('victim-invitee@victim.test');
  const key = await createKey(t.app, { token: owner.token, role: 'admin', name: 'victim key' });

  await as('PUT', '/api/policy', {
    blockedPatterns: [{ name: VICTIM_PATTERN, pattern: 'victim-forbidden' }],
    agents: { [VICTIM_AGENT]: { tools: ['*'] } },
    hitl: { tools: ['grep'], localTools: [], timeoutSeconds: 3600 },
  });
  await as('PUT', '/api/budget', { monthlyUsdCap: 123 });
  await as('PUT', '/api/provider-keys/openai', { apiKey: VICTIM_PROVIDER_KEY });
  const wrote = await as('POST', '/api/tools/call', {
    tool: 'write',
    args: { path: 'victim.txt', content: VICTIM_FILE_TEXT },
  });
  expect(wrote.ok).toBe(true);
  const asked = await t.app.inject({
    method: 'POST',
    url: '/api/tools/call',
    headers: auth(owner.token),
    payload: { tool: 'grep', args: { pattern: 'victim', path: '.' } },
  });
  expect(asked.json().code).toBe('hitl_required');
  const code = (await as('POST', '/api/devices/pairing-codes', undefined, 201)).code;
  const paired = await t.app.inject({
    method: 'POST',
    url: '/api/devices/pair',
    payload: { code, name: VICTIM_DEVICE, platform: 'linux' },
  });
  const device = paired.json();
  const approverCode = (await as('POST', '/api/hitl/approvers/pairing-codes', undefined, 201)).code;
  const approver = (
    await t.app.inject({
      method: 'POST',
      url: '/api/hitl/approvers/pair',
      payload: { code: approverCode, name: 'victim approver' },
    })
  ).json();
  const server = await as(
    'POST',
    '/api/mcp/servers',
    { name: VICTIM_MCP, transport: 'stdio', command: 'victim-mcp', args: [] },
    201,
  );
  await as('POST', `/api/mcp/servers/${server.id}/publish`);
  const workflow = await as(
    'POST',
    '/api/workflows',
    {
      name: VICTIM_WORKFLOW,
      graph: {
        nodes: [
          { id: 'start', type: 'trigger', config: { kind: 'manual' } },
          { id: 'look', type: 'tool', config: { tool: 'list', args: {} } },
        ],
        edges: [{ from: 'start', to: 'look' }],
      },
    },
    201,
  );
  await as('POST', `/api/workflows/${workflow.id}/publish`);
  const proposal = await as('POST', '/api/workflows/builder/propose', {
    definition: workflow.graph,
    message: `Add an approval step before look (${VICTIM_BUILDER_ASK})`,
  });
  const chat = await t.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: auth(owner.token),
    payload: { model: 'demo/echo', messages: [{ role: 'user', content: 'victim question' }] },
  });
  expect(chat.statusCode, chat.body).toBe(200);
  const runId = `run_victim${Math.random().toString(36).slice(2)}`;
  await t.runtime.store.append({
    org: owner.org,
    events: [
      {
        type: 'cp.run.started',
        subject: `run/${runId}`,
        actor: { kind: 'system', id: 'tenancy-walk' },
        data: { kind: 'workflow', name: 'victim workflow' },
        meta: { runId },
      },
    ],
  });
  const override = await as(
    'POST',
    '/api/compliance/mappings/overrides',
    { skill: 'risk.eu_ai_act_tier', control: 'GDPR:Art.35', action: 'add', reason: VICTIM_OVERRIDE_REASON },
    201,
  );
  // The override list is a projection: wait until it shows, so the snapshot is not taken mid-apply.
  while (!JSON.stringify(await as('GET', '/api/compliance/mappings/overrides')).includes(override.id))
    await new Promise((r) => setTimeout(r, 25));
  const useCase = await as(
    'POST',
    '/api/use-cases',
    {
      name: VICTIM_USE_CASE,
      purpose: 'victim purpose',
      ownerId: owner.userId,
      businessUnit: 'victim unit',
      usersAffected: 'victim users',
      dataCategories: ['personal'],
      models: [],
      autonomy: 'assistive',
      deploymentContext: 'internal',
      riskTier: 'minimal',
    },
    201,
  );
  // The use-case list is a projection too.
  while (!JSON.stringify(await as('GET', '/api/use-cases')).includes(useCase.id))
    await new Promise((r) => setTimeout(r, 25));
  const upload = multipart({
    file: {
      name: 'victim.md',
      type: 'text/markdown',
      bytes: Buffer.from(`# Retention\n\n${VICTIM_DOCUMENT_TEXT}`),
    },
    fields: { title: VICTIM_DOCUMENT_TITLE },
  });
  const uploaded = await t.app.inject({
    method: 'POST',
    url: `/api/use-cases/${useCase.id}/documents`,
    payload: upload.payload,
    headers: { ...auth(owner.token), ...upload.headers },
  });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const suite = await as(
    'POST',
    '/api/evals/cross-vendor/suites',
    {
      name: VICTIM_SUITE,
      cases: [{ input: [{ role: 'user', content: 'victim eval question' }] }],
      providers: [
        { provider: 'demo', model: 'demo' },
        { provider: 'demo', model: 'demo-2' },
      ],
    },
    201,
  );
  const crossVendor = await as('POST', `/api/evals/cross-vendor/suites/${suite.id}/runs`, undefined, 202);
  // Wait for the run to end and its matrix to be read, so the snapshot is not taken mid-run.
  while ((await as('GET', `/api/evals/cross-vendor/runs/${crossVendor.runId}`)).run.status === 'running')
    await new Promise((r) => setTimeout(r, 25));
  const consensus = await as('POST', '/api/multi-agent/consensus', {
    prompt: VICTIM_CONSENSUS,
    n: 3,
    method: 'entropy',
  });
  // A gene the member proposed and the owner approved, its capsule active (four eyes: two people).
  const proposed = await t.app.inject({
    method: 'POST',
    url: '/api/genes',
    headers: auth(accepted.json().token),
    payload: { skill: 'risk.eu_ai_act_tier', text: VICTIM_GENE, rationale: 'victim rationale' },
  });
  expect(proposed.statusCode, proposed.body).toBe(201);
  const gene = await as('POST', `/api/genes/${proposed.json().id}/approve`, {});
  await as('POST', `/api/capsules/${gene.capsuleId}/activate`, {});
  // Genes and capsules are listed from a projection: wait until they show.
  while (!JSON.stringify(await as('GET', '/api/capsules')).includes(gene.capsuleId))
    await new Promise((r) => setTimeout(r, 25));
  while (!JSON.stringify(await as('GET', '/api/genes')).includes(gene.id))
    await new Promise((r) => setTimeout(r, 25));
  // A skill run the judge sampled and scored below the org's threshold: a verdict and a triage item.
  await as('PUT', '/api/quality/settings', {
    l3: { governedAnswers: false },
    l4: {
      judge: { provider: 'demo', model: 'demo' },
      secondJudge: null,
      threshold: 4,
      disagreementMargin: 1,
      samplingRate: 1,
      monthlyBudgetMicros: 5_000_000,
    },
  });
  const judgedRun = await as('POST', '/api/skills/intake.classify_use_case/run', {
    input: { name: 'Victim assistant', description: VICTIM_JUDGED },
  });
  expect(await t.app.qualityJudge.pass()).toMatchObject({ judged: 1 });
  // The triage queue is a projection: wait until the item shows.
  const firstItem = async (): Promise<{ id: string } | undefined> =>
    (await as('GET', '/api/quality/triage')).items[0];
  let triaged = await firstItem();
  while (!triaged) {
    await new Promise((r) => setTimeout(r, 25));
    triaged = await firstItem();
  }
  // A Slack connection: its label and sealed webhook URL are the victim's alone.
  const integration = await as(
    'POST',
    '/api/integrations/slack/connect',
    { method: 'webhook', webhookUrl: VICTIM_WEBHOOK, label: VICTIM_SLACK_LABEL },
    201,
  );
  // A greenfield coder session awaiting its run, and a triaged Parallel Universe item with a proposal.
  const coderSession = await as('POST', '/api/coder/sessions', { goal: VICTIM_CODER_GOAL }, 201);
  const puItem = puItemId('hacker-news', 'victim-story');
  for (const command of [
    {
      type: 'discover' as const,
      item: {
        itemId: puItem,
        source: 'hacker-news' as const,
        sourceId: 'victim-story',
        title: VICTIM_PU_TITLE,
        url: 'https://example.com/victim-story',
        publishedAt: null,
        excerpt: '',
      },
    },
    {
      type: 'triage' as const,
      result: {
        relevance: 0.9,
        summary: 'victim summary',
        action: 'coder' as const,
        proposal: 'victim goal',
        runId: 'run_victim',
        costMicros: 0,
      },
    },
  ])
    await handleCommand({
      store: t.runtime.store,
      org: owner.org,
      subject: puItemSubject(puItem),
      decider: puItemDecider,
      command,
      actor: { kind: 'user', id: owner.userId },
    });
  // A budget lease retires up to 30 s after it was granted: give this process's back now, so none of the
  // victim's is released while the walk runs and its chain stays as the snapshot saw it.
  await t.app.gateway.leases.close();
  return {
    owner,
    orgName,
    memberId: accepted.json().user.id,
    memberEmail: 'victim-member@victim.test',
    inviteeEmail: 'victim-invitee@victim.test',
    invitationId: pending.id,
    key,
    keyPrefix: key.key.slice(0, 11),
    deviceId: device.deviceId,
    deviceToken: device.token,
    approverId: approver.approverId,
    mcpServerId: server.id,
    workflowId: workflow.id,
    builderProposalId: proposal.proposalId,
    hitlRequestId: asked.json().hitlRequestId,
    runId,
    overrideId: override.id,
    useCaseId: useCase.id,
    documentId: uploaded.json().id,
    suiteId: suite.id,
    skillRunId: judgedRun.runId,
    triageItemId: triaged.id,
    crossVendorRunId: crossVendor.runId,
    consensusRunId: consensus.runId,
    geneId: gene.id,
    capsuleId: gene.capsuleId,
    integrationId: integration.id,
    coderSessionId: coderSession.id,
    puItemId: puItem,
    secrets: [
      VICTIM_CODER_GOAL,
      VICTIM_PU_TITLE,
      VICTIM_SLACK_LABEL,
      'victimwebhooksecretpath',
      VICTIM_JUDGED,
      VICTIM_GENE,
      VICTIM_PROVIDER_KEY,
      VICTIM_PROVIDER_KEY.slice(-8),
      VICTIM_FILE_TEXT,
      VICTIM_PATTERN,
      VICTIM_AGENT,
      VICTIM_DEVICE,
      VICTIM_MCP,
      VICTIM_WORKFLOW,
      VICTIM_BUILDER_ASK,
      'victim workflow',
      VICTIM_OVERRIDE_REASON,
      VICTIM_USE_CASE,
      VICTIM_SUITE,
      VICTIM_CONSENSUS,
      VICTIM_DOCUMENT_TEXT,
      VICTIM_DOCUMENT_TITLE,
      device.token,
      approver.token,
      'victim approver',
    ],
  };
}

/**
 * Appended by the system's own timers, never by a request: a budget lease retiring. Periodic
 * checkpoints are turned off for the walk instead, so a checkpoint in the victim's chain is one a
 * request caused.
 */
const CLOCK_DRIVEN = new Set(['cp.budget.lease.released', 'cp.budget.lease.expired']);

async function snapshot(t: TestApp, v: Victim) {
  const get = async (url: string) =>
    (await t.app.inject({ method: 'GET', url, headers: auth(v.owner.token) })).json() as unknown;
  // Read from disk: a tool call would itself append to the chain being compared.
  const workspace = join(t.config.dataDir, 'workspaces', v.owner.org);
  const files = Object.fromEntries(
    readdirSync(workspace).map((name) => [name, readFileSync(join(workspace, name), 'utf8')]),
  );
  return {
    head: await t.runtime.store.head(v.owner.org),
    members: await get('/api/members'),
    apiKeys: await get('/api/api-keys'),
    invitations: await get('/api/invitations'),
    orgs: await get('/api/orgs'),
    policy: await get('/api/policy'),
    // The forecast extrapolates spend over the time elapsed, so it moves with the clock alone.
    budget: { ...((await get('/api/budget')) as Record<string, unknown>), forecast: undefined },
    providerKeys: await get('/api/provider-keys'),
    devices: await get('/api/devices'),
    approvers: await get('/api/hitl/approvers'),
    mcpServers: await get('/api/mcp/servers'),
    workflows: await get('/api/workflows'),
    hitl: await get('/api/hitl'),
    runs: await get('/api/runs'),
    complianceOverrides: await get('/api/compliance/mappings/overrides'),
    useCases: await get('/api/use-cases'),
    useCase: await get(`/api/use-cases/${v.useCaseId}`),
    documents: await get(`/api/use-cases/${v.useCaseId}/documents`),
    documentSettings: await get('/api/document-settings'),
    // Lexical search embeds nothing, so reading it appends no event to the chain being compared.
    documentSearch: (
      await t.app.inject({
        method: 'POST',
        url: `/api/use-cases/${v.useCaseId}/search`,
        headers: auth(v.owner.token),
        payload: { query: 'retention', k: 5, mode: 'lexical' },
      })
    ).json() as unknown,
    crossVendorSuites: await get('/api/evals/cross-vendor/suites'),
    crossVendorRun: await get(`/api/evals/cross-vendor/runs/${v.crossVendorRunId}`),
    consensusRun: await get(`/api/multi-agent/runs/${v.consensusRunId}`),
    multiAgentSettings: await get('/api/multi-agent/settings'),
    qualitySettings: await get('/api/quality/settings'),
    triage: await get('/api/quality/triage'),
    genes: await get('/api/genes'),
    capsules: await get('/api/capsules'),
    capsule: await get(`/api/capsules/${v.capsuleId}`),
    evolutionSettings: await get('/api/evolution/settings'),
    integrations: await get('/api/integrations'),
    integrationActivity: await get('/api/integrations/activity'),
    evolvableSkills: await get('/api/evolution/skills'),
    coderSessions: await get('/api/coder/sessions'),
    coderSession: await get(`/api/coder/sessions/${v.coderSessionId}`),
    puItems: await get('/api/parallel-universe/items'),
    puSettings: await get('/api/parallel-universe/settings'),
    workspace: files,
  };
}

const fill = (url: string, value: string) =>
  url.replace(/:[A-Za-z0-9_]+/g, value).replace(/\*$/, 'index.html');

const WALK_SLICES = 6;

const withinTime = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref()),
  ]);

for (const driver of testDrivers) {
  describe(`tenant isolation over the whole route table on ${driver}`, () => {
    let t: TestApp;
    let victim: Victim;
    let attacker: Account;
    let attackerKey: string;
    beforeAll(async () => {
      // Parallel Universe sources point at a closed port: a pass the walk starts fails fast, offline.
      const closed = 'http://127.0.0.1:9';
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_TOKEN_TTL: '7d',
          // No periodic checkpoints: any checkpoint reaching the victim's chain then comes from a request.
          PROOFPANE_CHECKPOINT_INTERVAL_S: '0',
          PROOFPANE_PU_GITHUB_URL: closed,
          PROOFPANE_PU_ARXIV_URL: closed,
          PROOFPANE_PU_HN_URL: closed,
        },
      });
      victim = await setUpVictim(t);
      attacker = await registerAccount(t.app, { orgName: 'Attacker', email: 'attacker@evil.test' });
      attackerKey = (await createKey(t.app, { token: attacker.token, role: 'admin' })).key;
    });
    afterAll(() => t.dispose());

    // The walk is split into slices of the route table so that each test stays well inside its
    // timeout as capabilities are added; the last test compares the victim's data once.
    let before: Awaited<ReturnType<typeof snapshot>>;
    let calls = 0;
    const streaming = new Set<string>();
    const allRoutes = () => t.app.routeTable.filter((r) => r.method !== 'OPTIONS');

    it('sees the victim’s data before the walk', async () => {
      before = await snapshot(t, victim);
      expect(allRoutes().map((r) => `${r.method} ${r.url}`)).toEqual(
        expect.arrayContaining([
          'DELETE /api/members/:userId',
          'DELETE /api/api-keys/:id',
          'GET /api/members',
        ]),
      );
    });

    for (let slice = 0; slice < WALK_SLICES; slice++) {
      it(`returns nothing of another org, with a valid token or key of the attacker’s own (routes ${slice + 1}/${WALK_SLICES})`, async () => {
        const routes = allRoutes().filter((_, index) => index % WALK_SLICES === slice);
        const victimIds = [
          victim.owner.org,
          victim.owner.userId,
          victim.memberId,
          victim.key.id,
          victim.invitationId,
          victim.deviceId,
          victim.approverId,
          victim.mcpServerId,
          victim.workflowId,
          victim.builderProposalId,
          victim.hitlRequestId,
          victim.runId,
          victim.overrideId,
          victim.useCaseId,
          victim.documentId,
          victim.suiteId,
          victim.skillRunId,
          victim.triageItemId,
          victim.crossVendorRunId,
          victim.consensusRunId,
          victim.geneId,
          victim.capsuleId,
          victim.integrationId,
          victim.coderSessionId,
          victim.puItemId,
        ];
        const neverShown = [
          victim.orgName,
          victim.owner.email,
          victim.memberEmail,
          victim.inviteeEmail,
          victim.keyPrefix,
          ...victim.secrets,
        ];
        const body = {
          org: victim.owner.org,
          orgId: victim.owner.org,
          userId: victim.memberId,
          id: victim.key.id,
          role: 'owner',
          name: 'walk',
          orgName: 'walk',
          email: attacker.email,
          password: attacker.password,
          token: 'x'.repeat(43),
        };
        // Schema-valid bodies whose id-like fields name the victim's objects.
        const victimField: Record<string, string> = {
          org: victim.owner.org,
          orgId: victim.owner.org,
          userId: victim.memberId,
          deviceId: victim.deviceId,
          serverId: victim.mcpServerId,
          workflowId: victim.workflowId,
          requestId: victim.hitlRequestId,
          runId: victim.runId,
          keyId: victim.key.id,
          invitationId: victim.invitationId,
          overrideId: victim.overrideId,
          useCaseId: victim.useCaseId,
          documentId: victim.documentId,
          suiteId: victim.suiteId,
          assignee: victim.memberId,
        };
        const validBody = (method: string, url: string) =>
          sampleFromSchema(bodySchemaOf(t.app, method, url), { pick: (name) => victimField[name] });
        for (const route of routes) {
          const values = route.url.includes(':') ? victimIds : [''];
          for (const value of values) {
            for (const credential of [attacker.token, attackerKey]) {
              if (streaming.has(route.url)) continue;
              const url = `${fill(route.url, value)}?org=${victim.owner.org}&orgId=${victim.owner.org}`;
              const writes = ['POST', 'PUT', 'PATCH'].includes(route.method);
              const requests: InjectOptions[] = (
                writes ? [body, validBody(route.method, route.url)] : [undefined]
              ).map((payload) => ({
                method: route.method as InjectOptions['method'],
                url,
                headers: auth(credential),
                ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
              }));
              for (const request of requests) {
                const res = await withinTime(t.app.inject(request), 5_000);
                calls += 1;
                if (res === 'timed out') {
                  streaming.add(route.url);
                  continue;
                }
                const where = `${route.method} ${request.url} ${JSON.stringify(request.payload ?? '')} → ${res.statusCode}`;
                expect(res.statusCode, where).toBeLessThan(500);
                for (const marker of neverShown) expect(res.body, where).not.toContain(marker);
                if (res.statusCode < 400)
                  for (const id of victimIds) expect(res.body, where).not.toContain(id);
              }
            }
          }
        }
      }, 300_000);
    }

    it('changed nothing of the victim’s after every route was walked', async () => {
      expect(calls).toBeGreaterThan(allRoutes().length);
      const after = await snapshot(t, victim);
      const appended = await t.runtime.store.readOrg({
        org: victim.owner.org,
        fromSeq: (before.head?.seq ?? 0) + 1,
      });
      expect(appended.filter((e) => !CLOCK_DRIVEN.has(e.type)).map((e) => e.type)).toEqual([]);
      expect({ ...after, head: undefined }).toEqual({ ...before, head: undefined });
    });
  });
}

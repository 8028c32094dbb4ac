import { keptOutputSha256, type WorkflowGraph } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';
import { type FakeLead, fakeGoogle, fakeSalesforce, fakeSlack } from './testing/fake-vendors.js';

const REFRESH = '5Aep861-workflow-node-refresh';
const BOT = 'xoxb-workflow-node-bot';
const GOOGLE_CODE = 'google-code-workflow-node';
const lead = (id: string, at: string): FakeLead => ({
  Id: id,
  Company: 'Vandelay Industries',
  Title: null,
  LeadSource: null,
  Country: null,
  Description: 'Art Vandelay art@vandelay.example',
  LastModifiedDate: at,
});
const FIXTURE_VALUES = [
  'Vandelay Industries',
  'Art Vandelay',
  'art@vandelay.example',
  'Kramerica',
  'kramer@kramerica.example',
  'Bro for the manssiere',
  REFRESH,
  BOT,
];

type Node = WorkflowGraph['nodes'][number];
/** Leads read, the first classified through the skill, its qualification written back. */
const leadGraph = (connection: string): WorkflowGraph => ({
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    {
      id: 'read',
      type: 'integration',
      config: { connection, operation: 'salesforce.read_leads', args: { limit: 5 } },
    },
    {
      id: 'classify',
      type: 'skill',
      config: {
        skill: 'external.salesforce_lead_intake',
        input: {
          lead: {
            company: '$.nodes.read.output.leads[0].Company',
            message: '$.nodes.read.output.leads[0].Description',
          },
        },
      },
    },
    {
      id: 'write',
      type: 'integration',
      config: {
        connection,
        operation: 'salesforce.update_lead',
        args: {
          leadId: '$.nodes.read.output.leads[0].Id',
          fields: { Qualification__c: '$.nodes.classify.output.qualification' },
        },
      },
    },
  ] as Node[],
  edges: [
    { from: 'start', to: 'read' },
    { from: 'read', to: 'classify' },
    { from: 'classify', to: 'write' },
  ],
});

for (const driver of testDrivers) {
  describe(`integration workflow nodes on ${driver}`, () => {
    let t: TestApp;
    let sf: Awaited<ReturnType<typeof fakeSalesforce>>;
    let slack: Awaited<ReturnType<typeof fakeSlack>>;
    let google: Awaited<ReturnType<typeof fakeGoogle>>;
    let owner: Account;
    let stranger: Account;
    let direct: string;
    let approving: string;

    beforeAll(async () => {
      sf = await fakeSalesforce({ users: {}, refreshTokens: new Set([REFRESH]) });
      slack = await fakeSlack({ teamId: 'T0NODES', validTokens: new Set([BOT]) });
      google = await fakeGoogle({ codes: new Set([GOOGLE_CODE]) });
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_WORKFLOW_SWEEP_MS: '50',
          PROOFPANE_SALESFORCE_LOGIN_URL: sf.url,
          PROOFPANE_SALESFORCE_CLIENT_ID: 'sf-client',
          PROOFPANE_SALESFORCE_CLIENT_SECRET: 'sf-client-secret',
          PROOFPANE_SALESFORCE_INSTANCE_ORIGINS: sf.url,
          PROOFPANE_SLACK_API_URL: `${slack.url}/api/`,
          PROOFPANE_GOOGLE_CLIENT_ID: 'g-client',
          PROOFPANE_GOOGLE_CLIENT_SECRET: 'g-secret',
          PROOFPANE_GOOGLE_AUTH_URL: `${google.url}/auth`,
          PROOFPANE_GOOGLE_TOKEN_URL: `${google.url}/token`,
          PROOFPANE_GMAIL_API_URL: `${google.url}/`,
        },
      });
      owner = await registerAccount(t.app, { orgName: 'Nodes' });
      stranger = await registerAccount(t.app, { orgName: 'Elsewhere' });
      const connect = async (approveWrites: boolean) => {
        const res = await call(owner.token, {
          method: 'POST',
          url: '/api/integrations/salesforce/connect',
          payload: {
            method: 'refresh_token',
            refreshToken: REFRESH,
            fields: { category: 'Qualification__c' },
            ...(approveWrites ? { approveWrites } : {}),
          },
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().id as string;
      };
      direct = await connect(false);
      approving = await connect(true);
    });
    afterAll(async () => {
      await t.dispose();
      await Promise.all([sf.close(), slack.close(), google.close()]);
    });

    const call = (token: string, options: InjectOptions) =>
      t.app.inject({ ...options, headers: { ...auth(token), ...options.headers } });
    const published = async (graph: WorkflowGraph, name: string) => {
      const created = await call(owner.token, {
        method: 'POST',
        url: '/api/workflows',
        payload: { name, graph },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const pub = await call(owner.token, { method: 'POST', url: `/api/workflows/${id}/publish` });
      expect(pub.statusCode, pub.body).toBe(200);
      return id;
    };
    const start = async (graph: WorkflowGraph, name: string) => {
      const id = await published(graph, name);
      const res = await call(owner.token, {
        method: 'POST',
        url: `/api/workflows/${id}/runs`,
        payload: { input: {} },
      });
      expect(res.statusCode, res.body).toBe(202);
      return res.json().runId as string;
    };
    const settled = async (runId: string, statuses: string[]) => {
      for (let i = 0; i < 600; i++) {
        const body = (await call(owner.token, { method: 'GET', url: `/api/workflow-runs/${runId}` })).json();
        if (statuses.includes(body.status)) return body;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`run ${runId} never became ${statuses.join(' or ')}`);
    };
    const completions = async (runId: string) =>
      (await t.runtime.store.readSubject({ org: owner.org, subject: `run/${runId}` })).filter(
        (e) => e.type === 'cp.workflow.step.completed',
      );

    it('lists the integration node type with its operations, and validates an operation’s arguments', async () => {
      const types = (await call(owner.token, { method: 'GET', url: '/api/workflow-node-types' })).json();
      const integration = types.nodeTypes.find((n: { type: string }) => n.type === 'integration');
      expect(integration.configSchema.properties.operation.enum).toEqual([
        'salesforce.read_leads',
        'salesforce.update_lead',
        'gmail.read_new',
        'gmail.label',
        'gmail.draft_reply',
        'slack.post',
      ]);
      const graph = leadGraph(direct);
      const write = graph.nodes[3]!;
      write.config = { ...write.config, args: { leadId: '$.nodes.read.output.cursor', fields: 7 } };
      const res = await call(owner.token, {
        method: 'POST',
        url: '/api/workflows/validate',
        payload: { graph },
      });
      expect(res.json().valid).toBe(false);
      expect(res.json().errors).toContainEqual(expect.objectContaining({ node: 'write' }));
    });

    it('reads leads, classifies one and writes the classification back, with no lead value in any event', async () => {
      sf.state.leads.push(lead('00Q00000000000NODE', '2026-02-01T10:00:00.000Z'));
      const runId = await start(leadGraph(direct), 'lead intake');
      const done = await settled(runId, ['succeeded', 'failed']);
      expect(done.status, JSON.stringify(done)).toBe('succeeded');
      expect(sf.state.leads[0]).toMatchObject({ Qualification__c: expect.any(String) });

      // The step events carry a reference, a hash and field names; the values sit in the side table.
      const events = await completions(runId);
      const read = events.find((e) => (e.data as { nodeId: string }).nodeId === 'read')!;
      const readOutput = (
        read.data as { output: { kept: { ref: string; sha256: string; fields: string[] } } }
      ).output;
      expect(Object.keys(readOutput)).toEqual(['kept']);
      expect(readOutput.kept).toMatchObject({
        ref: `workflow-output/${runId}/read/1`,
        fields: ['Company', 'Country', 'Description', 'Id', 'LastModifiedDate', 'LeadSource', 'Title'],
      });
      const kept = await call(owner.token, {
        method: 'GET',
        url: `/api/workflow-runs/${runId}/kept-outputs`,
      });
      expect(kept.statusCode, kept.body).toBe(200);
      const rows = kept.json().outputs as { nodeId: string; sha256: string; value: unknown }[];
      // The skill's answer was made from a kept output, so it is kept too.
      expect(rows.map((r) => r.nodeId)).toEqual(['classify', 'read', 'write']);
      rows.shift();
      expect(rows[0]?.value).toMatchObject({
        leads: [{ Id: '00Q00000000000NODE', Company: 'Vandelay Industries' }],
      });
      expect(rows[0]?.sha256).toBe(readOutput.kept.sha256);
      expect(keptOutputSha256(rows[0]?.value)).toBe(readOutput.kept.sha256);
      expect(rows[1]?.value).toEqual({ leadId: '00Q00000000000NODE', fields: ['Qualification__c'] });

      const all = await t.runtime.store.readOrg({ org: owner.org });
      const access = all.filter((e) => e.type.startsWith('cp.integration.') && e.meta?.runId === runId);
      expect(access.map((e) => [e.type, (e.data as { fields: string[] }).fields])).toEqual([
        [
          'cp.integration.read',
          ['Company', 'Country', 'Description', 'Id', 'LastModifiedDate', 'LeadSource', 'Title'],
        ],
        ['cp.integration.write', ['Qualification__c']],
      ]);
      const log = JSON.stringify(all);
      for (const value of FIXTURE_VALUES) expect(log, value).not.toContain(value);
    });

    it('keeps the side-table rows to their org: another org reads none, and they are the org’s', async () => {
      sf.state.leads.push(lead('00Q00000000001NODE', '2026-02-02T10:00:00.000Z'));
      const runId = await start(leadGraph(direct), 'lead intake, owned');
      await settled(runId, ['succeeded', 'failed']);
      const other = await call(stranger.token, {
        method: 'GET',
        url: `/api/workflow-runs/${runId}/kept-outputs`,
      });
      expect(other.statusCode).toBe(200);
      expect(other.json().outputs).toEqual([]);
      const erasedElsewhere = await call(stranger.token, {
        method: 'DELETE',
        url: `/api/workflow-runs/${runId}/kept-outputs`,
      });
      expect(erasedElsewhere.json()).toEqual({ erased: 0 });
      const { rows } = await sql<{ org: string }>`
        SELECT org FROM workflow_kept_outputs WHERE run_id = ${runId}`.execute(t.runtime.database.db);
      expect(rows.length).toBe(3);
      expect(rows.every((r) => r.org === owner.org)).toBe(true);
    });

    it('asks a person before writing when the connection says so, and resumes from the side table', async () => {
      sf.state.leads.push(lead('00Q00000000002NODE', '2026-02-03T10:00:00.000Z'));
      const queriesBefore = sf.received.filter((r) => r.path.includes('/query')).length;
      const runId = await start(leadGraph(approving), 'lead intake, approved');
      const waiting = await settled(runId, ['waiting', 'failed', 'succeeded']);
      expect(waiting.status, JSON.stringify(waiting)).toBe('waiting');
      const step = waiting.steps.find((s: { nodeId: string }) => s.nodeId === 'write');
      let request = await call(owner.token, { method: 'GET', url: `/api/hitl/${step.hitlRequestId}` });
      for (let i = 0; i < 200 && request.statusCode === 404; i++) {
        await new Promise((r) => setTimeout(r, 25));
        request = await call(owner.token, { method: 'GET', url: `/api/hitl/${step.hitlRequestId}` });
      }
      // The request names the lead and the field, never the value to be written.
      expect(request.json().kind).toBe('workflow_step');
      const leadId = /^Write Qualification__c of Salesforce Lead (00Q[0-9A-Z]{15})$/.exec(
        request.json().summary,
      )?.[1];
      expect(leadId, request.json().summary).toBeDefined();
      // This connection's own cursor starts at the beginning: its first lead, which is not written yet.
      const written = sf.state.leads.find((l) => l.Id === leadId) as Record<string, unknown>;
      delete written.Qualification__c;
      const resolved = await call(owner.token, {
        method: 'POST',
        url: `/api/hitl/${step.hitlRequestId}/resolve`,
        payload: { decision: 'approve' },
      });
      expect(resolved.statusCode, resolved.body).toBe(200);
      const done = await settled(runId, ['succeeded', 'failed']);
      expect(done.status, JSON.stringify(done)).toBe('succeeded');
      // The lead id came from the read step's kept output: Salesforce was queried once in the run.
      expect(written.Qualification__c).toEqual(expect.any(String));
      expect(sf.received.filter((r) => r.path.includes('/query')).length).toBe(queriesBefore + 1);
      const log = JSON.stringify(await t.runtime.store.readOrg({ org: owner.org }));
      for (const value of FIXTURE_VALUES) expect(log, value).not.toContain(value);
    });

    it('erases a run’s kept outputs on an admin’s request, recording the count only', async () => {
      sf.state.leads.push(lead('00Q00000000003NODE', '2026-02-04T10:00:00.000Z'));
      const runId = await start(leadGraph(direct), 'lead intake, erased');
      await settled(runId, ['succeeded', 'failed']);
      const erased = await call(owner.token, {
        method: 'DELETE',
        url: `/api/workflow-runs/${runId}/kept-outputs`,
      });
      expect(erased.json()).toEqual({ erased: 3 });
      expect(
        (await call(owner.token, { method: 'GET', url: `/api/workflow-runs/${runId}/kept-outputs` })).json()
          .outputs,
      ).toEqual([]);
      const events = await t.runtime.store.readSubject({
        org: owner.org,
        subject: `workflow-output/${runId}`,
      });
      expect(events.map((e) => [e.type, e.data])).toEqual([
        ['cp.workflow.outputs.erased', { runId, count: 3 }],
      ]);
    });

    it('posts to Slack, reads new mail, labels it and drafts a reply without sending', async () => {
      const slackConn = await call(owner.token, {
        method: 'POST',
        url: '/api/integrations/slack/connect',
        payload: { method: 'bot_token', botToken: BOT, channel: 'C0NODES' },
      });
      expect(slackConn.statusCode, slackConn.body).toBe(201);
      const consent = await call(owner.token, {
        method: 'POST',
        url: '/api/integrations/gmail/connect',
        payload: {},
      });
      const state = new URL(consent.json().authorizationUrl).searchParams.get('state');
      const gmailConn = await call(owner.token, {
        method: 'POST',
        url: '/api/integrations/gmail/callback',
        payload: { code: GOOGLE_CODE, state },
      });
      expect(gmailConn.statusCode, gmailConn.body).toBe(201);
      const gmailId = gmailConn.json().id as string;
      const mailGraph = (withMail: boolean): WorkflowGraph => ({
        nodes: [
          { id: 'start', type: 'trigger', config: { kind: 'manual' } },
          {
            id: 'inbox',
            type: 'integration',
            config: { connection: gmailId, operation: 'gmail.read_new', args: {} },
          },
          ...(withMail
            ? ([
                {
                  id: 'label',
                  type: 'integration',
                  config: {
                    connection: gmailId,
                    operation: 'gmail.label',
                    args: { messageId: '$.nodes.inbox.output.messages[0].id', labels: ['sales'] },
                  },
                },
                {
                  id: 'draft',
                  type: 'integration',
                  config: {
                    connection: gmailId,
                    operation: 'gmail.draft_reply',
                    args: {
                      messageId: '$.nodes.inbox.output.messages[0].id',
                      body: 'Thanks, we will be in touch.',
                    },
                  },
                },
                {
                  id: 'tell',
                  type: 'integration',
                  config: {
                    connection: slackConn.json().id,
                    operation: 'slack.post',
                    args: { text: '$.nodes.inbox.output.messages[0].subject' },
                  },
                },
              ] as Node[])
            : []),
        ] as Node[],
        edges: [
          { from: 'start', to: 'inbox' },
          ...(withMail
            ? [
                { from: 'inbox', to: 'label' },
                { from: 'label', to: 'draft' },
                { from: 'draft', to: 'tell' },
              ]
            : []),
        ],
      });
      // The first read records where the mailbox stands; mail delivered after it is new.
      const first = await settled(await start(mailGraph(false), 'mail start'), ['succeeded', 'failed']);
      expect(first.status, JSON.stringify(first)).toBe('succeeded');
      google.deliver({
        id: 'm1node',
        from: 'Cosmo Kramer <kramer@kramerica.example>',
        subject: 'Bro for the manssiere',
        body: 'Kramerica would like a demo.',
      });
      const done = await settled(await start(mailGraph(true), 'mail triage'), ['succeeded', 'failed']);
      expect(done.status, JSON.stringify(done)).toBe('succeeded');
      const mail = google.state.mails.find((m) => m.id === 'm1node')!;
      expect(mail.labelIds.length).toBe(2);
      expect(google.state.labels.map((l) => l.name)).toContain('Proofpane/sales');
      expect(google.state.drafts).toHaveLength(1);
      expect(Buffer.from(google.state.drafts[0]!.raw, 'base64url').toString()).toContain('To: Cosmo Kramer');
      expect(google.received.some((r) => /\/send\b/.test(r.path))).toBe(false);
      const posted = slack.received.filter((r) => r.path === '/api/chat.postMessage');
      expect(new URLSearchParams(posted.at(-1)?.body).get('text')).toBe('Bro for the manssiere');
      const log = JSON.stringify(await t.runtime.store.readOrg({ org: owner.org }));
      for (const value of FIXTURE_VALUES) expect(log, value).not.toContain(value);
    });
  });
}

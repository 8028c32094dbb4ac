import { slackSignature } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import { rebuildInlineTables } from '../inline-tables/rebuild-tables.js';
import type { TestApp } from '../testing/test-app.js';
import { fakeGoogle, fakeSalesforce, fakeSlack, fieldsOf } from './testing/fake-vendors.js';

const BOT_TOKEN = 'xoxb-1111-2222-secretbottoken';
const SIGNING_SECRET = 'slack-signing-secret-8f7422';
const SF_USER = 'ann.smith@example.com';
const SF_PASSWORD = 'Salesforce-Pass-42';
const SF_SECURITY_TOKEN = 'SECTOKEN99';
const SF_REFRESH = '5Aep861-fake-salesforce-refresh';
const TEAM = 'T0PROOF01';
const CHANNEL = 'C0ALERTS1';
const SUMMARY = 'Refund 420 EUR to Ann Smith, ann.smith@example.com';

for (const driver of testDrivers) {
  describe(`integrations over HTTP on ${driver}`, () => {
    let t: TestApp;
    let slack: Awaited<ReturnType<typeof fakeSlack>>;
    let salesforce: Awaited<ReturnType<typeof fakeSalesforce>>;
    let google: Awaited<ReturnType<typeof fakeGoogle>>;
    let owner: Account;
    let member: string;
    let stranger: Account;
    const googleCodes = new Set(['4/good-code']);
    const slackTokens = new Set([BOT_TOKEN]);
    let webhookUrl = '';

    beforeAll(async () => {
      slack = await fakeSlack({ teamId: TEAM, validTokens: slackTokens });
      salesforce = await fakeSalesforce({
        users: { [SF_USER]: `${SF_PASSWORD}${SF_SECURITY_TOKEN}` },
        refreshTokens: new Set([SF_REFRESH]),
      });
      google = await fakeGoogle({ codes: googleCodes });
      webhookUrl = `${slack.url}/services/T0PROOF01/B0HOOK/abcdefsecretpath`;
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_SLACK_API_URL: `${slack.url}/api/`,
          PROOFPANE_SLACK_WEBHOOK_ORIGINS: slack.url,
          PROOFPANE_SALESFORCE_LOGIN_URL: salesforce.url,
          PROOFPANE_SALESFORCE_CLIENT_ID: 'sf-client',
          PROOFPANE_SALESFORCE_CLIENT_SECRET: 'sf-client-secret',
          PROOFPANE_SALESFORCE_INSTANCE_ORIGINS: salesforce.url,
          PROOFPANE_GOOGLE_CLIENT_ID: 'google-client.apps.googleusercontent.com',
          PROOFPANE_GOOGLE_CLIENT_SECRET: 'google-client-secret',
          PROOFPANE_GOOGLE_AUTH_URL: `${google.url}/auth`,
          PROOFPANE_GOOGLE_TOKEN_URL: `${google.url}/token`,
          PROOFPANE_PUBLIC_URL: 'https://console.example.test',
        },
      });
      owner = await registerAccount(t.app, { orgName: 'Integrators' });
      member = (await createKey(t.app, { token: owner.token, role: 'member', name: 'reader' })).key;
      stranger = await registerAccount(t.app, { orgName: 'Elsewhere' });
    });
    afterAll(async () => {
      await t.dispose();
      await Promise.all([slack.close(), salesforce.close(), google.close()]);
    });

    const call = async (
      method: 'GET' | 'POST' | 'DELETE',
      url: string,
      payload?: unknown,
      token = owner.token,
    ) => {
      const res = await t.app.inject({
        method,
        url,
        headers: auth(token),
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return { status: res.statusCode, body: res.body ? res.json() : undefined };
    };
    const connectSlackBot = () =>
      call('POST', '/api/integrations/slack/connect', {
        method: 'bot_token',
        botToken: BOT_TOKEN,
        channel: CHANNEL,
        signingSecret: SIGNING_SECRET,
        approvers: ['U0APPROVER'],
        label: 'Alerts',
      });

    it('connects a Slack bot after auth.test, shows it without the token, and lets only admins connect', async () => {
      const res = await connectSlackBot();
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        kind: 'slack',
        method: 'bot_token',
        label: 'Alerts',
        status: 'active',
      });
      expect(JSON.stringify(res.body)).not.toContain(BOT_TOKEN);
      const authTest = slack.received.find((r) => r.path === '/api/auth.test');
      expect(authTest?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);

      const listed = await call('GET', '/api/integrations', undefined, member);
      expect(listed.body.integrations.map((c: { id: string }) => c.id)).toContain(res.body.id);
      expect(JSON.stringify(listed.body)).not.toContain(SIGNING_SECRET);

      const refused = await call(
        'POST',
        '/api/integrations/slack/connect',
        { method: 'bot_token', botToken: BOT_TOKEN, channel: CHANNEL },
        member,
      );
      expect(refused.status).toBe(403);
      const foreign = await call('GET', '/api/integrations', undefined, stranger.token);
      expect(foreign.body.integrations).toEqual([]);
      expect(
        (await call('DELETE', `/api/integrations/${res.body.id}`, undefined, stranger.token)).status,
      ).toBe(404);
    });

    it('refuses a revoked bot token, a malformed auth.test answer, and a body out of bounds', async () => {
      const revoked = await call('POST', '/api/integrations/slack/connect', {
        method: 'bot_token',
        botToken: 'xoxb-revoked-token',
        channel: CHANNEL,
      });
      expect(revoked.status).toBe(422);
      expect(revoked.body.code).toBe('integration_credential_rejected');
      slack.state.malformedNext = true;
      const malformed = await connectSlackBot();
      expect(malformed.status).toBe(422);
      const nul = await call('POST', '/api/integrations/slack/connect', {
        method: 'bot_token',
        botToken: BOT_TOKEN,
        channel: CHANNEL,
        label: 'a\u0000b',
      });
      expect(nul.status).toBe(400);
      const tooLong = await call('POST', '/api/integrations/slack/connect', {
        method: 'webhook',
        webhookUrl: `${slack.url}/services/${'x'.repeat(600)}`,
      });
      expect(tooLong.status).toBe(400);
    });

    it('posts a HITL request as Block Kit, waiting out a 429 with Retry-After', async () => {
      const { body: conn } = await connectSlackBot();
      slack.state.rateLimitNext = 1;
      const before = slack.received.length;
      const res = await call('POST', `/api/integrations/${conn.id}/slack-alert`, {
        kind: 'hitl',
        requestId: 'hitl_demo',
        summary: SUMMARY,
        risk: 'high',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ posted: true, ts: '1700000000.000100' });
      const posts = slack.received.slice(before).filter((r) => r.path === '/api/chat.postMessage');
      expect(posts).toHaveLength(2);
      const fields = fieldsOf(posts[1] as (typeof posts)[number]);
      expect(fields.channel).toBe(CHANNEL);
      const blocks = JSON.parse(fields.blocks ?? '[]') as { type: string; elements?: { value: string }[] }[];
      expect(blocks.find((b) => b.type === 'actions')?.elements?.[0]?.value).toBe(`${conn.id}|hitl_demo`);
    });

    it('resolves a HITL request from a signed Slack click, recording the Slack user; refuses forged and stale ones', async () => {
      const { body: conn } = await connectSlackBot();
      const { requestId } = await t.app.hitl.request({
        org: owner.org,
        actor: { kind: 'user', id: owner.userId },
        kind: 'tool_call',
        target: 'tool/write',
        args: { path: 'a.md' },
        argsSha256: 'd'.repeat(64),
        summary: 'write a.md',
        reason: 'policy',
        rulesMatched: ['hitl.tools'],
        dlp: {},
        timeoutSeconds: 600,
        autoApproveThreshold: 2.5,
      });
      const payload = (teamId = TEAM, actionId = 'proofpane_hitl_approve', userId = 'U0APPROVER') =>
        `payload=${encodeURIComponent(
          JSON.stringify({
            type: 'block_actions',
            team: { id: teamId },
            user: { id: userId, name: 'ann.smith' },
            actions: [{ action_id: actionId, value: `${conn.id}|${requestId}`, type: 'button' }],
          }),
        )}`;
      const click = (body: string, secret = SIGNING_SECRET, ts = Math.floor(Date.now() / 1000)) =>
        t.app.inject({
          method: 'POST',
          url: '/api/integrations/slack/interactions',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-slack-request-timestamp': String(ts),
            'x-slack-signature': slackSignature({ signingSecret: secret, timestamp: String(ts), body }),
          },
          payload: body,
        });
      const forged = await click(payload(), 'not-the-secret');
      expect(forged.statusCode).toBe(401);
      expect(forged.json().code).toBe('integration_signature_invalid');
      expect((await click(payload(), SIGNING_SECRET, Math.floor(Date.now() / 1000) - 301)).statusCode).toBe(
        401,
      );
      expect((await click(payload('T0OTHER01'))).statusCode).toBe(401);
      expect((await click('payload=%7Bnot-json')).statusCode).toBe(401);
      const bystander = await click(payload(TEAM, 'proofpane_hitl_approve', 'U0BYSTANDER'));
      expect(bystander.statusCode).toBe(403);
      expect(bystander.json().code).toBe('integration_approver_not_allowed');

      const ok = await click(payload());
      expect(ok.statusCode).toBe(200);
      const events = await t.runtime.store.readSubject({ org: owner.org, subject: `hitl/${requestId}` });
      const resolved = events.find((e) => e.type === 'cp.hitl.resolved');
      expect(resolved?.data).toMatchObject({ decision: 'approve', auto: false });
      expect(resolved?.actor).toEqual({ kind: 'user', id: `slack:${TEAM}:U0APPROVER` });
      // A replay of the same click cannot decide twice.
      expect((await click(payload(TEAM, 'proofpane_hitl_deny'))).statusCode).toBe(409);
    });

    it('marks a connection revoked when Slack says the token was revoked, and shows it so', async () => {
      const { body: conn } = await connectSlackBot();
      slackTokens.delete(BOT_TOKEN);
      try {
        const res = await call('POST', `/api/integrations/${conn.id}/slack-alert`, {
          kind: 'drift',
          skill: 'intake.classify_use_case',
          signal: 'schema_failures',
          summary: 'rate rose',
        });
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('integration_credential_revoked');
        const listed = await call('GET', '/api/integrations');
        expect(listed.body.integrations.find((c: { id: string }) => c.id === conn.id).status).toBe('revoked');
      } finally {
        slackTokens.add(BOT_TOKEN);
      }
    });

    it('posts to an incoming webhook on an allowed origin only', async () => {
      const elsewhere = await call('POST', '/api/integrations/slack/connect', {
        method: 'webhook',
        webhookUrl: 'https://attacker.example/services/x',
      });
      expect(elsewhere.status).toBe(409);
      expect(elsewhere.body.code).toBe('integration_not_configured');
      const { body: conn } = await call('POST', '/api/integrations/slack/connect', {
        method: 'webhook',
        webhookUrl,
      });
      expect(conn.method).toBe('webhook');
      const res = await call('POST', `/api/integrations/${conn.id}/slack-alert`, {
        kind: 'budget',
        spentUsd: '81.20',
        capUsd: '100',
        summary: '81% of the month',
      });
      expect(res.status).toBe(200);
      const hook = slack.received.filter((r) => r.path.startsWith('/services/')).at(-1);
      expect(JSON.parse(hook?.body ?? '{}').blocks[0].type).toBe('header');
    });

    it('connects Salesforce by the password and refresh-token flows and refuses a wrong password', async () => {
      const pw = await call('POST', '/api/integrations/salesforce/connect', {
        method: 'password',
        username: SF_USER,
        password: SF_PASSWORD,
        securityToken: SF_SECURITY_TOKEN,
        fields: { category: 'Triage_Category__c' },
      });
      expect(pw.status).toBe(201);
      const grant = salesforce.received.find((r) => fieldsOf(r).grant_type === 'password');
      expect(fieldsOf(grant as NonNullable<typeof grant>)).toMatchObject({
        client_id: 'sf-client',
        username: SF_USER,
        password: `${SF_PASSWORD}${SF_SECURITY_TOKEN}`,
      });
      const rt = await call('POST', '/api/integrations/salesforce/connect', {
        method: 'refresh_token',
        refreshToken: SF_REFRESH,
      });
      expect(rt.status).toBe(201);
      const wrong = await call('POST', '/api/integrations/salesforce/connect', {
        method: 'password',
        username: SF_USER,
        password: 'wrong-password',
      });
      expect(wrong.status).toBe(422);
      expect(wrong.body.detail).toContain('invalid_grant');
      const slackMethod = await call('POST', '/api/integrations/salesforce/connect', {
        method: 'webhook',
        webhookUrl,
      });
      expect(slackMethod.status).toBe(400);
    });

    it('runs Gmail consent: a URL with state bound to org and user, a callback exchanging the code once', async () => {
      const start = await call('POST', '/api/integrations/gmail/connect', {});
      expect(start.status).toBe(200);
      const url = new URL(start.body.authorizationUrl);
      expect(`${url.origin}${url.pathname}`).toBe(`${google.url}/auth`);
      expect(url.searchParams.get('access_type')).toBe('offline');
      expect(url.searchParams.get('redirect_uri')).toBe(
        'https://console.example.test/integrations/gmail/callback',
      );
      const state = url.searchParams.get('state') ?? '';

      const other = await registerAccount(t.app, { orgName: 'Other' });
      const stolen = await call(
        'POST',
        '/api/integrations/gmail/callback',
        { code: '4/good-code', state },
        other.token,
      );
      expect(stolen.status).toBe(400);
      expect(stolen.body.code).toBe('integration_oauth_state_invalid');
      const tampered = await call('POST', '/api/integrations/gmail/callback', {
        code: '4/good-code',
        state: `${state}x`,
      });
      expect(tampered.status).toBe(400);

      const done = await call('POST', '/api/integrations/gmail/callback', { code: '4/good-code', state });
      expect(done.status).toBe(201);
      expect(done.body).toMatchObject({ kind: 'gmail', method: 'oauth_code', status: 'active' });
      const exchange = google.received.find((r) => fieldsOf(r).grant_type === 'authorization_code');
      expect(fieldsOf(exchange as NonNullable<typeof exchange>).code).toBe('4/good-code');
      const again = await call('POST', '/api/integrations/gmail/callback', { code: '4/good-code', state });
      expect(again.status).toBe(422);
    });

    it('disconnects: the row, the sealed credential and its polling positions are gone', async () => {
      const { body: conn } = await connectSlackBot();
      const { body: kept } = await connectSlackBot();
      const { db } = t.runtime.database;
      // Where triage, the workflow nodes and the alerts had got to, for both connections.
      for (const id of [conn.id, kept.id]) {
        await sql`
          INSERT INTO integration_cursors (org, connection_id, cursor)
          VALUES (${owner.org}, ${id}, '41'), (${owner.org}, ${`${id}/workflow`}, '42')`.execute(db);
        await sql`
          INSERT INTO integration_alert_cursors (org, connection_id, seq)
          VALUES (${owner.org}, ${id}, 7)`.execute(db);
      }
      expect((await call('DELETE', `/api/integrations/${conn.id}`, undefined, member)).status).toBe(403);
      expect((await call('DELETE', `/api/integrations/${conn.id}`)).status).toBe(204);
      const listed = await call('GET', '/api/integrations');
      expect(listed.body.integrations.map((c: { id: string }) => c.id)).not.toContain(conn.id);
      const { rows } = await sql<{ n: string | number }>`
        SELECT count(*) AS n FROM integration_credentials WHERE connection_id = ${conn.id}`.execute(db);
      expect(Number(rows[0]?.n)).toBe(0);
      const { rows: cursors } = await sql<{ connection_id: string }>`
        SELECT connection_id FROM integration_cursors WHERE org = ${owner.org}
        UNION ALL SELECT connection_id FROM integration_alert_cursors WHERE org = ${owner.org}
        ORDER BY 1`.execute(db);
      expect(cursors.map((r) => r.connection_id)).toEqual([kept.id, kept.id, `${kept.id}/workflow`].sort());
      expect((await call('DELETE', `/api/integrations/${kept.id}`)).status).toBe(204);
      expect((await call('DELETE', `/api/integrations/${conn.id}`)).status).toBe(404);
    });

    it('lists reads and writes by field names, and no credential or fixture value is in any event', async () => {
      const activity = await call('GET', '/api/integrations/activity?limit=50', undefined, member);
      const posted = activity.body.activity.find(
        (a: { objectType: string }) => a.objectType === 'chat.postMessage',
      );
      expect(posted).toMatchObject({
        direction: 'write',
        operation: 'post',
        fields: ['blocks', 'channel', 'text'],
      });
      const events = await t.runtime.store.readOrg({ org: owner.org });
      expect(events.some((e) => e.type === 'cp.integration.write')).toBe(true);
      const log = JSON.stringify(events);
      for (const value of [
        BOT_TOKEN,
        SIGNING_SECRET,
        SF_USER,
        'ann.smith',
        'Ann Smith',
        SF_PASSWORD,
        SF_SECURITY_TOKEN,
        SF_REFRESH,
        '1//fake-refresh-token',
        'ya29.fake-access',
        '4/good-code',
        'abcdefsecretpath',
        SUMMARY,
        '420 EUR',
      ])
        expect(log, value).not.toContain(value);
    });

    it('rebuilds the connection list and the activity from the log to the same rows', async () => {
      const before = [
        await call('GET', '/api/integrations'),
        await call('GET', '/api/integrations/activity?limit=200'),
      ];
      expect(before[0]?.body.integrations.length).toBeGreaterThan(3);
      const [report] = await rebuildInlineTables({
        db: t.runtime.database.db,
        store: t.runtime.store,
        reservationTtlSeconds: 60,
        names: ['integrations'],
      });
      expect(report?.rows.integration_connections).toBeGreaterThan(3);
      const after = [
        await call('GET', '/api/integrations'),
        await call('GET', '/api/integrations/activity?limit=200'),
      ];
      expect(after).toEqual(before);
    });
  });
}

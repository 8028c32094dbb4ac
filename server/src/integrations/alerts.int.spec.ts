import { slackSignature } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';
import { fakeSlack, fieldsOf, type Received } from './testing/fake-vendors.js';

const BOT_TOKEN = 'xoxb-1111-2222-alertsbottoken';
const OTHER_TOKEN = 'xoxb-3333-4444-otherbottoken';
const SIGNING_SECRET = 'slack-signing-secret-alerts';
const TEAM = 'T0PROOF02';
const CHANNEL = 'C0ALERTS2';
const OTHER_CHANNEL = 'C0OTHER02';
const SUMMARY = 'Refund 420 EUR to [EMAIL]';

type Block = { type: string; elements?: { action_id: string; value: string }[] };

for (const driver of testDrivers) {
  describe(`Slack alerts posted by the loop on ${driver}`, () => {
    let t: TestApp;
    let slack: Awaited<ReturnType<typeof fakeSlack>>;
    let owner: Account;
    let stranger: Account;
    let connectionId = '';

    beforeAll(async () => {
      slack = await fakeSlack({ teamId: TEAM, validTokens: new Set([BOT_TOKEN, OTHER_TOKEN]) });
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_SLACK_API_URL: `${slack.url}/api/`,
          PROOFPANE_SLACK_WEBHOOK_ORIGINS: slack.url,
          // Passes are driven by the spec; the loop's own timer stays out of the way.
          PROOFPANE_SLACK_ALERTS_MS: '600000',
        },
      });
      owner = await registerAccount(t.app, { orgName: 'Alerted' });
      stranger = await registerAccount(t.app, { orgName: 'Neighbour' });
    });
    afterAll(async () => {
      await t.dispose();
      await slack.close();
    });

    const connect = async (token: string, payload: object) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/integrations/slack/connect',
        headers: auth(token),
        payload,
      });
      return { status: res.statusCode, body: res.json() };
    };
    const postsTo = (channel: string, from = 0): Received[] =>
      slack.received
        .slice(from)
        .filter((r) => r.path === '/api/chat.postMessage' && fieldsOf(r).channel === channel);
    const driftAlert = (org: string) =>
      t.runtime.store.append({
        org,
        events: [
          {
            type: 'cp.quality.drift.alerted',
            subject: 'quality-drift/intake.classify_use_case/pass_rate',
            actor: { kind: 'system', id: 'quality-drift' },
            data: {
              alertId: `qda_${Math.random().toString(36).slice(2)}`,
              skill: 'intake.classify_use_case',
              signal: 'pass_rate',
              baseline: {
                from: '2026-11-01T00:00:00Z',
                to: '2026-11-30T00:00:00Z',
                n: 200,
                adverse: 10,
                rate: 0.95,
              },
              recent: {
                from: '2026-12-01T00:00:00Z',
                to: '2026-12-02T00:00:00Z',
                n: 40,
                adverse: 12,
                rate: 0.7,
              },
              statistic: 4.2,
              threshold: 3,
            },
          },
        ],
      });
    const budgetAlert = (org: string) =>
      t.runtime.store.append({
        org,
        events: [
          {
            type: 'cp.budget.alert.raised',
            subject: 'budget/2026-12',
            actor: { kind: 'system', id: 'gateway' },
            data: { month: '2026-12', threshold: 80, spentMicros: 8_000_000, capMicros: 10_000_000 },
          },
        ],
      });
    const hitlRequest = (org: string, actorId: string) =>
      t.app.hitl.request({
        org,
        actor: { kind: 'user', id: actorId },
        kind: 'tool_call',
        target: 'tool/refund',
        args: { amount: 420 },
        argsSha256: 'e'.repeat(64),
        summary: SUMMARY,
        reason: 'policy',
        rulesMatched: ['hitl.tools'],
        dlp: { EMAIL: 1 },
        timeoutSeconds: 600,
        autoApproveThreshold: 2.5,
      });

    it('runs as a once-per-deployment worker loop', () => {
      expect(t.app.loops.states()).toContainEqual({
        name: 'integration-alerts',
        duty: 'worker',
        scope: 'once',
        state: 'running',
      });
    });

    it('refuses HITL alerts without a signing secret and approvers to verify the clicks', async () => {
      const res = await connect(owner.token, {
        method: 'bot_token',
        botToken: BOT_TOKEN,
        channel: CHANNEL,
        alerts: ['hitl'],
      });
      expect(res.status).toBe(400);
      const webhook = await connect(owner.token, {
        method: 'webhook',
        webhookUrl: `${slack.url}/services/T0/B0/x`,
        alerts: ['hitl'],
      });
      expect(webhook.status).toBe(400);
    });

    it('posts nothing that happened before the connection was marked for alerts', async () => {
      await driftAlert(owner.org);
      const res = await connect(owner.token, {
        method: 'bot_token',
        botToken: BOT_TOKEN,
        channel: CHANNEL,
        signingSecret: SIGNING_SECRET,
        approvers: ['U0APPROVER'],
        alerts: ['hitl', 'drift', 'budget'],
        label: 'Alerts',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ alerts: ['budget', 'drift', 'hitl'], channel: CHANNEL });
      connectionId = res.body.id;
      const other = await connect(stranger.token, {
        method: 'bot_token',
        botToken: OTHER_TOKEN,
        channel: OTHER_CHANNEL,
        alerts: ['drift', 'budget'],
      });
      expect(other.status).toBe(201);
      const before = slack.received.length;
      expect(await t.app.integrations.postAlerts()).toEqual({ posted: 0, failed: 0 });
      expect(postsTo(CHANNEL, before)).toHaveLength(0);
    });

    it('posts a HITL request once with Approve and Deny, and a signed Approve click resolves it', async () => {
      const before = slack.received.length;
      const { requestId } = await hitlRequest(owner.org, owner.userId);
      expect((await t.app.integrations.postAlerts()).posted).toBe(1);
      const posts = postsTo(CHANNEL, before);
      expect(posts).toHaveLength(1);
      const blocks = JSON.parse(fieldsOf(posts[0]!).blocks ?? '[]') as Block[];
      const buttons = blocks.find((b) => b.type === 'actions')?.elements ?? [];
      expect(buttons.map((b) => b.action_id)).toEqual(['proofpane_hitl_approve', 'proofpane_hitl_deny']);
      expect(buttons[0]?.value).toBe(`${connectionId}|${requestId}`);

      const body = `payload=${encodeURIComponent(
        JSON.stringify({
          type: 'block_actions',
          team: { id: TEAM },
          user: { id: 'U0APPROVER' },
          actions: [{ action_id: buttons[0]?.action_id, value: buttons[0]?.value, type: 'button' }],
        }),
      )}`;
      const ts = String(Math.floor(Date.now() / 1000));
      const click = await t.app.inject({
        method: 'POST',
        url: '/api/integrations/slack/interactions',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': slackSignature({ signingSecret: SIGNING_SECRET, timestamp: ts, body }),
        },
        payload: body,
      });
      expect(click.statusCode).toBe(200);
      const hitl = await t.runtime.store.readSubject({ org: owner.org, subject: `hitl/${requestId}` });
      expect(hitl.find((e) => e.type === 'cp.hitl.resolved')?.data).toMatchObject({ decision: 'approve' });
    });

    it('posts a drift alert and a budget alert once each; a second pass posts nothing new', async () => {
      const before = slack.received.length;
      await driftAlert(owner.org);
      await budgetAlert(owner.org);
      expect((await t.app.integrations.postAlerts()).posted).toBe(2);
      const texts = postsTo(CHANNEL, before).map((r) => fieldsOf(r).text);
      expect(texts).toEqual([
        'Quality drift on intake.classify_use_case (pass_rate)',
        'Budget: $8.00 of $10.00 spent',
      ]);
      expect(await t.app.integrations.postAlerts()).toEqual({ posted: 0, failed: 0 });
      expect(postsTo(CHANNEL, before)).toHaveLength(2);
    });

    it('records each posting as cp.integration.write, caused by the alerted event, with names only', async () => {
      const events = await t.runtime.store.readSubject({
        org: owner.org,
        subject: `integration/${connectionId}`,
      });
      const writes = events.filter((e) => e.type === 'cp.integration.write');
      expect(writes).toHaveLength(3);
      expect(writes[0]?.data).toEqual({
        connectionId,
        kind: 'slack',
        objectType: 'chat.postMessage',
        operation: 'post',
        fields: ['blocks', 'channel', 'text'],
        count: 1,
      });
      expect(writes.every((e) => typeof e.meta?.causationId === 'string')).toBe(true);
      expect(JSON.stringify(writes)).not.toContain('Refund');
    });

    it('waits out a 429 and posts once; a resolved request is not posted', async () => {
      const before = slack.received.length;
      const { requestId } = await hitlRequest(owner.org, owner.userId);
      await t.app.hitl.resolve({
        org: owner.org,
        requestId,
        decision: 'deny',
        remember: false,
        actor: { kind: 'user', id: owner.userId },
      });
      await driftAlert(owner.org);
      slack.state.rateLimitNext = 1;
      expect((await t.app.integrations.postAlerts()).posted).toBe(1);
      // The refused attempt and its retry after Retry-After: the same drift alert, never the denied request.
      const attempts = postsTo(CHANNEL, before).map((r) => fieldsOf(r).text);
      expect(attempts).toEqual([
        'Quality drift on intake.classify_use_case (pass_rate)',
        'Quality drift on intake.classify_use_case (pass_rate)',
      ]);
    });

    it("never posts another org's events to this org's channel", async () => {
      const before = slack.received.length;
      await budgetAlert(stranger.org);
      expect((await t.app.integrations.postAlerts()).posted).toBe(1);
      expect(postsTo(CHANNEL, before)).toHaveLength(0);
      expect(postsTo(OTHER_CHANNEL, before)).toHaveLength(1);
      await budgetAlert(owner.org);
      expect((await t.app.integrations.postAlerts()).posted).toBe(1);
      expect(postsTo(OTHER_CHANNEL, before)).toHaveLength(1);
      expect(postsTo(CHANNEL, before)).toHaveLength(1);
    });

    it('changes the alert kinds after connecting, recorded as an event, posting only from the change on', async () => {
      const LATER = 'C0LATER02';
      const made = await connect(owner.token, { method: 'bot_token', botToken: BOT_TOKEN, channel: LATER });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const id = made.body.id as string;
      const patch = (token: string, alerts: string[]) =>
        t.app.inject({
          method: 'PATCH',
          url: `/api/integrations/${id}`,
          headers: auth(token),
          payload: { alerts },
        });
      await driftAlert(owner.org);
      const before = slack.received.length;
      await t.app.integrations.postAlerts();
      expect(postsTo(LATER, before)).toHaveLength(0);

      expect((await patch(stranger.token, ['drift'])).statusCode).toBe(404);
      const refused = await patch(owner.token, ['hitl']);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().detail).toContain('signing secret');
      const changed = await patch(owner.token, ['drift', 'budget']);
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ id, alerts: ['budget', 'drift'], channel: LATER });
      const events = await t.runtime.store.readSubject({ org: owner.org, subject: `integration/${id}` });
      expect(events.at(-1)).toMatchObject({
        type: 'cp.integration.alerts.changed',
        actor: { id: owner.userId },
        data: { connectionId: id, kind: 'slack', alerts: ['drift', 'budget'] },
      });
      // The drift alert raised while the connection posted nothing stays unposted; a new one is posted.
      await t.app.integrations.postAlerts();
      expect(postsTo(LATER, before)).toHaveLength(0);
      await driftAlert(owner.org);
      await t.app.integrations.postAlerts();
      expect(postsTo(LATER, before)).toHaveLength(1);

      const off = await patch(owner.token, []);
      expect(off.statusCode).toBe(200);
      expect(off.json().alerts).toBeUndefined();
      await driftAlert(owner.org);
      await t.app.integrations.postAlerts();
      expect(postsTo(LATER, before)).toHaveLength(1);
    });
  });
}

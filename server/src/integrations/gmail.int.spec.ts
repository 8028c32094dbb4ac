import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';
import { fakeGoogle, fieldsOf } from './testing/fake-vendors.js';

const SENDER = 'lena.vogel@customer.example';
const BODY = 'Hi, Lena Vogel here: please delete my data.';

for (const driver of testDrivers) {
  describe(`Gmail triage against Gmail's and Google's wire format on ${driver}`, () => {
    let t: TestApp;
    let google: Awaited<ReturnType<typeof fakeGoogle>>;
    let owner: Account;
    let connectionId: string;

    beforeAll(async () => {
      google = await fakeGoogle({ codes: new Set(['4/triage-code']) });
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_GOOGLE_CLIENT_ID: 'triage-client.apps.googleusercontent.com',
          PROOFPANE_GOOGLE_CLIENT_SECRET: 'triage-secret',
          PROOFPANE_GOOGLE_AUTH_URL: `${google.url}/auth`,
          PROOFPANE_GOOGLE_TOKEN_URL: `${google.url}/token`,
          PROOFPANE_GMAIL_API_URL: `${google.url}/`,
        },
      });
      owner = await registerAccount(t.app, { orgName: 'Mailroom' });
      const start = await t.app.inject({
        method: 'POST',
        url: '/api/integrations/gmail/connect',
        headers: auth(owner.token),
        payload: {},
      });
      const state = new URL(start.json().authorizationUrl).searchParams.get('state');
      const done = await t.app.inject({
        method: 'POST',
        url: '/api/integrations/gmail/callback',
        headers: auth(owner.token),
        payload: { code: '4/triage-code', state },
      });
      expect(done.statusCode, done.body).toBe(201);
      connectionId = done.json().id;
    });
    afterAll(async () => {
      await t.dispose();
      await google.close();
    });

    const triage = async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/integrations/${connectionId}/gmail/triage`,
        headers: auth(owner.token),
      });
      return { status: res.statusCode, body: res.json() };
    };

    it('starts at the mailbox history id, then triages and labels each new message without sending', async () => {
      const first = await triage();
      expect(first).toEqual({ status: 200, body: { cursor: '1000', triaged: [] } });
      google.deliver({ id: 'msg0001', from: `Lena Vogel <${SENDER}>`, subject: 'Data deletion', body: BODY });
      const second = await triage();
      expect(second.status).toBe(200);
      expect(second.body.cursor).toBe('1001');
      expect(second.body.triaged).toHaveLength(1);
      const history = google.received.find((r) => r.path.startsWith('/gmail/v1/users/me/history'));
      const q = new URL(history?.path ?? '', 'http://x').searchParams;
      expect(q.get('startHistoryId')).toBe('1000');
      expect(q.get('historyTypes')).toBe('messageAdded');
      const { category, priority } = second.body.triaged[0];
      const labels = google.state.labels.map((l) => l.name);
      expect(labels).toEqual(expect.arrayContaining([`Proofpane/${category}`, `Proofpane/${priority}`]));
      expect(google.state.mails[0]?.labelIds).toHaveLength(3);
      expect(google.received.some((r) => /\/send|\/drafts/.test(r.path))).toBe(false);
      expect((await triage()).body).toEqual({ cursor: '1001', triaged: [] });
    });

    it('refreshes an expired access token with the refresh token, and waits out a 429', async () => {
      google.expireSessions();
      google.state.rateLimitNext = 1;
      google.deliver({ id: 'msg0002', from: SENDER, subject: 'Invoice', body: 'Invoice attached.' });
      const before = google.received.length;
      const res = await triage();
      expect(res.status).toBe(200);
      expect(res.body.triaged.map((m: { messageId: string }) => m.messageId)).toEqual(['msg0002']);
      const grant = google.received.slice(before).find((r) => r.path === '/token');
      expect(fieldsOf(grant as NonNullable<typeof grant>).grant_type).toBe('refresh_token');
      const events = await t.runtime.store.readSubject({
        org: owner.org,
        subject: `integration/${connectionId}`,
      });
      expect(events.some((e) => e.type === 'cp.integration.token.refreshed')).toBe(true);
    });

    it('answers a malformed message as an upstream failure and keeps the cursor', async () => {
      google.deliver({ id: 'msg0003', from: SENDER, subject: 'x', body: 'y' });
      google.state.malformedNext = true;
      const res = await triage();
      expect(res.status).toBe(502);
      expect(res.body.code).toBe('integration_upstream_failed');
    });

    it('marks the connection revoked when Google refuses the refresh token', async () => {
      google.expireSessions();
      google.revokeRefreshTokens();
      const res = await triage();
      expect(res.status).toBe(409);
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/integrations',
        headers: auth(owner.token),
      });
      expect(list.json().integrations[0]).toMatchObject({ id: connectionId, status: 'revoked' });
    });

    it('audits reads and writes by field names; no address, name or body is in any event', async () => {
      const events = await t.runtime.store.readOrg({ org: owner.org });
      const modify = events.find((e) => e.type === 'cp.integration.write' && e.data.objectType === 'Message');
      expect(modify?.data).toMatchObject({ operation: 'modify', fields: ['addLabelIds'] });
      const log = JSON.stringify(events);
      for (const value of [
        SENDER,
        'Lena Vogel',
        BODY,
        'please delete my data',
        'Invoice attached',
        '1//fake-refresh',
      ])
        expect(log, value).not.toContain(value);
    });
  });
}

import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';
import { type FakeLead, fakeSalesforce, fieldsOf } from './testing/fake-vendors.js';

const REFRESH = '5Aep861-lead-intake-refresh';
const lead = (id: string, at: string, over: Partial<FakeLead> = {}): FakeLead => ({
  Id: id,
  Company: 'Globex Insurance',
  Title: null,
  LeadSource: null,
  Country: null,
  // Short: the demo provider quotes the start of its input in free-text fields.
  Description: 'Maria Keller maria.keller@globex.example',
  LastModifiedDate: at,
  ...over,
});

for (const driver of testDrivers) {
  describe(`Salesforce lead intake against Salesforce's wire format on ${driver}`, () => {
    let t: TestApp;
    let sf: Awaited<ReturnType<typeof fakeSalesforce>>;
    let owner: Account;
    let connectionId: string;
    const refreshTokens = new Set([REFRESH]);

    beforeAll(async () => {
      sf = await fakeSalesforce({ users: {}, refreshTokens });
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_SALESFORCE_LOGIN_URL: sf.url,
          PROOFPANE_SALESFORCE_CLIENT_ID: 'sf-client',
          PROOFPANE_SALESFORCE_CLIENT_SECRET: 'sf-client-secret',
          PROOFPANE_SALESFORCE_INSTANCE_ORIGINS: sf.url,
        },
      });
      owner = await registerAccount(t.app, { orgName: 'Leads' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/integrations/salesforce/connect',
        headers: auth(owner.token),
        payload: {
          method: 'refresh_token',
          refreshToken: REFRESH,
          fields: { category: 'Qualification__c', rationale: 'Use_Case__c' },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      connectionId = res.json().id;
    });
    afterAll(async () => {
      await t.dispose();
      await sf.close();
    });

    const intake = async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/integrations/${connectionId}/salesforce/lead-intake`,
        headers: auth(owner.token),
        payload: { limit: 10 },
      });
      return { status: res.statusCode, body: res.json() };
    };

    it('reads Leads by LastModifiedDate, classifies each through the skill and writes the configured fields', async () => {
      sf.state.leads.push(lead('00Q000000000001AAA', '2026-01-02T10:00:00.000Z'));
      sf.state.leads.push(lead('00Q000000000002AAA', '2026-01-03T10:00:00.000Z', { Company: 'Initech' }));
      const first = await intake();
      expect(first).toEqual({
        status: 200,
        body: { cursor: '2026-01-03T10:00:00.000Z', classified: 2, awaiting: [], declined: [] },
      });
      const query = sf.received.find((r) => r.path.includes('/query'));
      const q = new URL(query?.path ?? '', 'http://x').searchParams.get('q');
      expect(q).toContain(
        'FROM Lead WHERE LastModifiedDate > 1970-01-01T00:00:00Z ORDER BY LastModifiedDate ASC',
      );
      const patches = sf.received.filter((r) => r.method === 'PATCH');
      expect(patches.map((p) => p.path)).toEqual([
        '/services/data/v62.0/sobjects/Lead/00Q000000000001AAA',
        '/services/data/v62.0/sobjects/Lead/00Q000000000002AAA',
      ]);
      expect(Object.keys(JSON.parse(patches[0]?.body ?? '{}')).sort()).toEqual([
        'Qualification__c',
        'Use_Case__c',
      ]);
      expect(sf.state.leads[0]?.Qualification__c).toEqual(expect.any(String));

      const second = await intake();
      expect(second.body).toEqual({
        cursor: '2026-01-03T10:00:00.000Z',
        classified: 0,
        awaiting: [],
        declined: [],
      });
      const last = sf.received.filter((r) => r.path.includes('/query')).at(-1);
      expect(new URL(last?.path ?? '', 'http://x').searchParams.get('q')).toContain(
        'LastModifiedDate > 2026-01-03T10:00:00.000Z',
      );
    });

    it('refreshes an expired session with the refresh token and records the refresh', async () => {
      sf.expireSessions();
      sf.state.leads.push(lead('00Q000000000003AAA', '2026-01-04T10:00:00.000Z'));
      const before = sf.received.length;
      const res = await intake();
      expect(res.body.classified).toBe(1);
      const grants = sf.received.slice(before).filter((r) => r.path === '/services/oauth2/token');
      expect(fieldsOf(grants[0] as NonNullable<(typeof grants)[number]>)).toMatchObject({
        grant_type: 'refresh_token',
        refresh_token: REFRESH,
      });
      const events = await t.runtime.store.readSubject({
        org: owner.org,
        subject: `integration/${connectionId}`,
      });
      expect(events.some((e) => e.type === 'cp.integration.token.refreshed')).toBe(true);
    });

    it('waits out a 429 on the query', async () => {
      sf.state.rateLimitNext = 1;
      sf.state.leads.push(lead('00Q000000000004AAA', '2026-01-05T10:00:00.000Z'));
      const res = await intake();
      expect(res).toEqual({
        status: 200,
        body: { cursor: '2026-01-05T10:00:00.000Z', classified: 1, awaiting: [], declined: [] },
      });
    });

    it('refuses a malformed record without writing anything', async () => {
      sf.state.malformedNext = true;
      const before = sf.received.filter((r) => r.method === 'PATCH').length;
      const res = await intake();
      expect(res.status).toBe(502);
      expect(res.body.code).toBe('integration_upstream_failed');
      expect(sf.received.filter((r) => r.method === 'PATCH').length).toBe(before);
    });

    it('marks the connection revoked when the refresh token no longer works', async () => {
      refreshTokens.delete(REFRESH);
      sf.expireSessions();
      const res = await intake();
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('integration_credential_revoked');
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/integrations',
        headers: auth(owner.token),
      });
      expect(list.json().integrations[0]).toMatchObject({ id: connectionId, status: 'revoked' });
      expect((await intake()).status).toBe(409);
    });

    it('audits Lead reads and writes by field names, and no lead value is in any event', async () => {
      const events = await t.runtime.store.readOrg({ org: owner.org });
      const writes = events.filter((e) => e.type === 'cp.integration.write');
      expect(writes.length).toBe(4);
      expect(writes[0]?.data).toMatchObject({
        objectType: 'Lead',
        fields: ['Qualification__c', 'Use_Case__c'],
      });
      const log = JSON.stringify(events);
      for (const value of [
        'Maria Keller',
        'maria.keller@globex.example',
        'Globex Insurance',
        'Initech',
        REFRESH,
      ])
        expect(log, value).not.toContain(value);
    });
  });
}

for (const driver of testDrivers) {
  describe(`Salesforce lead intake with approveWrites on ${driver}`, () => {
    let t: TestApp;
    let sf: Awaited<ReturnType<typeof fakeSalesforce>>;
    let owner: Account;
    let connectionId: string;

    beforeAll(async () => {
      sf = await fakeSalesforce({ users: {}, refreshTokens: new Set([REFRESH]) });
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_SALESFORCE_LOGIN_URL: sf.url,
          PROOFPANE_SALESFORCE_CLIENT_ID: 'sf-client',
          PROOFPANE_SALESFORCE_CLIENT_SECRET: 'sf-client-secret',
          PROOFPANE_SALESFORCE_INSTANCE_ORIGINS: sf.url,
        },
      });
      owner = await registerAccount(t.app, { orgName: 'Held leads' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/integrations/salesforce/connect',
        headers: auth(owner.token),
        payload: {
          method: 'refresh_token',
          refreshToken: REFRESH,
          fields: { category: 'Qualification__c', rationale: 'Use_Case__c' },
          approveWrites: true,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      connectionId = res.json().id;
    });
    afterAll(async () => {
      await t.dispose();
      await sf.close();
    });

    const intake = async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/integrations/${connectionId}/salesforce/lead-intake`,
        headers: auth(owner.token),
        payload: { limit: 10 },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { classified: number; awaiting: string[]; declined: string[] };
    };
    const patchesTo = (id: string) =>
      sf.received.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/Lead/${id}`));
    const pending = async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/hitl?status=pending',
        headers: auth(owner.token),
      });
      return (res.json().requests as { id: string; kind: string; target: string; summary: string }[]).filter(
        (r) => r.target === 'integration/salesforce/Lead',
      );
    };
    const decide = async (requestId: string, decision: 'approve' | 'deny') => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/hitl/${requestId}/resolve`,
        headers: auth(owner.token),
        payload: { decision },
      });
      expect(res.statusCode, res.body).toBe(200);
    };

    it('holds each write for a person, then writes an approved lead exactly once', async () => {
      const id = '00Q000000000011AAA';
      sf.state.leads.push(lead(id, '2026-02-01T10:00:00.000Z'));
      expect(await intake()).toMatchObject({ classified: 0, awaiting: [id], declined: [] });
      expect(patchesTo(id)).toHaveLength(0);
      const requests = await pending();
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ kind: 'tool_call', target: 'integration/salesforce/Lead' });
      expect(requests[0]?.summary).toContain('Qualification__c, Use_Case__c');

      // A pass while the request is open neither writes nor asks again.
      expect(await intake()).toMatchObject({ classified: 0, awaiting: [id] });
      expect(patchesTo(id)).toHaveLength(0);
      expect(await pending()).toHaveLength(1);

      await decide(requests[0]?.id ?? '', 'approve');
      expect(await intake()).toMatchObject({ classified: 1, awaiting: [], declined: [] });
      expect(patchesTo(id)).toHaveLength(1);
      expect(Object.keys(JSON.parse(patchesTo(id)[0]?.body ?? '{}')).sort()).toEqual([
        'Qualification__c',
        'Use_Case__c',
      ]);
      expect(sf.state.leads.find((l) => l.Id === id)?.Qualification__c).toEqual(expect.any(String));

      expect(await intake()).toMatchObject({ classified: 0, awaiting: [] });
      expect(patchesTo(id)).toHaveLength(1);
      const events = await t.runtime.store.readOrg({ org: owner.org });
      expect(events.filter((e) => e.type === 'cp.hitl.consumed')).toHaveLength(1);
    });

    it('leaves a denied lead unwritten and says so once', async () => {
      const id = '00Q000000000012AAA';
      sf.state.leads.push(lead(id, '2026-02-02T10:00:00.000Z', { Company: 'Umbrella Corp' }));
      expect(await intake()).toMatchObject({ awaiting: [id] });
      const [request] = await pending();
      await decide(request?.id ?? '', 'deny');
      expect(await intake()).toMatchObject({ classified: 0, awaiting: [], declined: [id] });
      expect(await intake()).toMatchObject({ classified: 0, awaiting: [], declined: [] });
      expect(patchesTo(id)).toHaveLength(0);
      expect(sf.state.leads.find((l) => l.Id === id)?.Qualification__c).toBeUndefined();
    });

    it('lists the held writes by lead id and field names, with their state and who decided', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/integrations/salesforce/held-writes',
        headers: auth(owner.token),
      });
      expect(res.statusCode, res.body).toBe(200);
      const { writes } = res.json() as { writes: Record<string, unknown>[] };
      expect(writes.map((w) => [w.leadId, w.state, w.decidedBy])).toEqual([
        ['00Q000000000012AAA', 'declined', owner.userId],
        ['00Q000000000011AAA', 'applied', owner.userId],
      ]);
      expect(writes[0]?.fields).toEqual(['Qualification__c', 'Use_Case__c']);
      expect(JSON.stringify(writes)).not.toContain('Umbrella');
      // The lead id and fields are data of their own, not read back from the request's wording.
      await sql`UPDATE hitl_requests SET summary = 'reworded' WHERE org = ${owner.org}`.execute(
        t.runtime.database.db,
      );
      const reworded = await t.app.inject({
        method: 'GET',
        url: '/api/integrations/salesforce/held-writes',
        headers: auth(owner.token),
      });
      expect(reworded.json().writes).toEqual(writes);
      const stranger = await registerAccount(t.app, { orgName: 'Not Salesforce' });
      const foreign = await t.app.inject({
        method: 'GET',
        url: '/api/integrations/salesforce/held-writes',
        headers: auth(stranger.token),
      });
      expect(foreign.json()).toEqual({ writes: [] });
    });

    it('keeps every lead value out of the log, the approval requests included', async () => {
      const events = await t.runtime.store.readOrg({ org: owner.org });
      expect(events.some((e) => e.type === 'cp.hitl.requested')).toBe(true);
      const log = JSON.stringify(events);
      for (const value of [
        'Maria Keller',
        'maria.keller@globex.example',
        'Globex Insurance',
        'Umbrella Corp',
      ])
        expect(log, value).not.toContain(value);
      for (const l of sf.state.leads.filter((x) => x.Qualification__c))
        expect(log).not.toContain(`"${String(l.Use_Case__c)}"`);
    });
  });
}

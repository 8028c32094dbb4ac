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

const REFUSED = 'refused by the database';

/**
 * The probe's reports: an API key, an org and a device name whose row the database refused still had
 * their event appended. Here the database refuses the row (a trigger stands in for any failure after
 * validation) and the log must not move; the same requests with NUL are refused before anything.
 */
for (const driver of testDrivers) {
  describe(`an event and its inline rows commit together on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let deviceId: string;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app);
      const { db } = t.runtime.database;
      await sql`CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'row refused by the test'; END $$`.execute(db);
      for (const [table, event] of [
        ['identity_api_keys', 'INSERT'],
        ['identity_orgs', 'INSERT'],
        ['devices', 'UPDATE'],
      ] as const) {
        await sql`CREATE TRIGGER ${sql.id(`refuse_${table}`)} BEFORE ${sql.raw(event)} ON ${sql.id(table)}
          FOR EACH ROW WHEN (NEW.name = ${sql.lit(REFUSED)}) EXECUTE FUNCTION refuse_row()`.execute(db);
      }
      const code = await api('POST', '/api/devices/pairing-codes');
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code: code.json().code, name: 'laptop', platform: 'linux' },
      });
      deviceId = paired.json().deviceId;
    });
    afterAll(() => t?.dispose());

    const api = (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: auth(owner.token), ...(payload ? { payload } : {}) });

    /** Every event appended anywhere while `act` ran. */
    async function appendedDuring(act: () => Promise<unknown>) {
      const before = await t.runtime.store.latestCursor();
      await act();
      return t.runtime.store.readAll({ after: before });
    }

    it('an API key whose row is refused is not audited as created', async () => {
      let status = 0;
      const appended = await appendedDuring(async () => {
        status = (await api('POST', '/api/api-keys', { name: REFUSED })).statusCode;
      });
      expect(status).toBe(500);
      expect(appended).toEqual([]);
      expect((await api('GET', '/api/api-keys')).json().apiKeys).toEqual([]);
      const created = await api('POST', '/api/api-keys', { name: 'ci' });
      expect(created.statusCode).toBe(201);
      const [event] = await t.runtime.store.readOrg({
        org: owner.org,
        fromSeq: (await t.runtime.store.head(owner.org))!.seq,
      });
      expect(event).toMatchObject({
        type: 'cp.identity.api-key.created',
        data: { keyId: created.json().id },
      });
    });

    it('an org whose row is refused leaves no org in the log', async () => {
      let status = 0;
      const appended = await appendedDuring(async () => {
        status = (await api('POST', '/api/orgs', { name: REFUSED })).statusCode;
      });
      expect(status).toBe(500);
      expect(appended).toEqual([]);
      const orgs = (await api('GET', '/api/orgs')).json().orgs as { name: string }[];
      expect(orgs.map((o) => o.name)).not.toContain(REFUSED);
    });

    it('a device rename whose row is refused is not audited', async () => {
      let status = 0;
      const appended = await appendedDuring(async () => {
        status = (await api('PATCH', `/api/devices/${deviceId}`, { name: REFUSED })).statusCode;
      });
      expect(status).toBe(500);
      expect(appended).toEqual([]);
      const renamed = await api('PATCH', `/api/devices/${deviceId}`, { name: 'desk' });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({ name: 'desk' });
    });

    it('the reported NUL inputs are refused as 400 naming the field, before anything is recorded', async () => {
      const cases = [
        { method: 'POST', url: '/api/api-keys', payload: { name: 'nul\u0000name' }, field: 'body.name' },
        { method: 'PATCH', url: `/api/devices/${deviceId}`, payload: { name: '\u0000' }, field: 'body.name' },
        { method: 'POST', url: '/api/orgs', payload: { name: 'a\u0000' }, field: 'body.name' },
        { method: 'POST', url: '/api/orgs', payload: { name: 'lone \ud83d surrogate' }, field: 'body.name' },
        {
          method: 'POST',
          url: '/api/mcp/servers',
          payload: { name: 'files', transport: 'stdio', command: 'x', args: ['ok', 'b\u0000'] },
          field: 'body.args.1',
        },
        { method: 'GET', url: '/api/audit?subject=%00', field: 'query.subject' },
        { method: 'GET', url: '/api/audit/export.csv?type=a%00', field: 'query.type' },
        { method: 'GET', url: '/api/runs?kind=%00', field: 'query.kind' },
        { method: 'GET', url: '/api/hitl/a%00', field: 'params.id' },
        { method: 'DELETE', url: '/api/api-keys/a%00', field: 'params.id' },
        { method: 'DELETE', url: '/api/invitations/a%00', field: 'params.id' },
        { method: 'POST', url: '/api/mcp/servers/a%00/publish', field: 'params.id' },
      ] as const;
      const appended = await appendedDuring(async () => {
        for (const c of cases) {
          const res = await t.app.inject({
            method: c.method,
            url: c.url,
            headers: auth(owner.token),
            ...('payload' in c ? { payload: c.payload } : {}),
          });
          expect(res.statusCode, c.url).toBe(400);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.json(), c.url).toMatchObject({
            code: 'validation_failed',
            errors: expect.arrayContaining([expect.objectContaining({ field: c.field })]),
          });
        }
      });
      expect(appended).toEqual([]);
    });

    it('audits a vendor-route refusal without the refused text', async () => {
      const appended = await appendedDuring(async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: auth(owner.token),
          payload: { model: 'demo\u0000x', messages: [{ role: 'user', content: 'hi' }] },
        });
        expect(res.statusCode).toBe(400);
      });
      const failed = appended.filter((p) => p.event.type === 'cp.llm.call.failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]?.event.data).toMatchObject({ model: 'unknown', code: 'invalid_request' });
      expect(JSON.stringify(appended)).not.toContain('\\u0000');
    });
  });
}

import { createHash } from 'node:crypto';
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

const ROUNDS = 4;

for (const driver of testDrivers) {
  describe(`MCP registry and gate: events and rows together on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let deviceToken: string;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app);
      const { db } = t.runtime.database;
      // Stand-ins for a row the database refuses after the request passed validation.
      await sql`CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'row refused by the test'; END $$`.execute(db);
      await sql`CREATE TRIGGER refuse_mcp_insert BEFORE INSERT ON mcp_servers FOR EACH ROW
        WHEN (NEW.name = 'refused by the database') EXECUTE FUNCTION refuse_row()`.execute(db);
      await sql`CREATE TRIGGER refuse_mcp_publish BEFORE UPDATE ON mcp_servers FOR EACH ROW
        WHEN (OLD.name = 'refused on publish' AND NEW.status = 'published') EXECUTE FUNCTION refuse_row()`.execute(
        db,
      );
      const code = await api('POST', '/api/devices/pairing-codes');
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code: code.json().code, name: 'mcp laptop', platform: 'linux' },
      });
      deviceToken = paired.json().token;
    });
    afterAll(() => t?.dispose());

    const api = (method: 'GET' | 'POST', url: string, payload?: object, credential = owner.token) =>
      t.app.inject({ method, url, headers: auth(credential), ...(payload ? { payload } : {}) });
    const register = (name: string) =>
      api('POST', '/api/mcp/servers', { name, transport: 'stdio', command: 'proofpane-daemon' });
    const eventsOf = async (type: string) =>
      (await t.runtime.store.readOrg({ org: owner.org })).filter((e) => e.type === type);
    const rowsNamed = async (name: string) =>
      (
        await sql<{
          id: string;
        }>`SELECT id FROM mcp_servers WHERE org = ${owner.org} AND name = ${name}`.execute(
          t.runtime.database.db,
        )
      ).rows;

    it('two racing publishes of one server: exactly one wins, the other gets 409', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = (await register(`race publish ${round}`)).json().id as string;
        const answers = await Promise.all([1, 2].map(() => api('POST', `/api/mcp/servers/${id}/publish`)));
        expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
        expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe('conflict');
        const published = (await eventsOf('cp.mcp.server.published')).filter(
          (e) => e.subject === `mcp-server/${id}`,
        );
        expect(published).toHaveLength(1);
      }
    });

    it('two racing registrations of one name: one event, one row, the other gets 409', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const name = `race create ${round}`;
        const answers = await Promise.all([1, 2].map(() => register(name)));
        expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
        const registered = (await eventsOf('cp.mcp.server.registered')).filter(
          (e) => (e.data as { name: string }).name === name,
        );
        expect(registered).toHaveLength(1);
        expect(await rowsNamed(name)).toEqual([
          { id: (registered[0]!.data as { serverId: string }).serverId },
        ]);
      }
    });

    it('a row the database refuses leaves no event: on registration and on publish', async () => {
      const head = await t.runtime.store.head(owner.org);
      const refused = await register('refused by the database');
      expect(refused.statusCode).toBe(500);
      expect(await t.runtime.store.head(owner.org)).toEqual(head);
      expect(await rowsNamed('refused by the database')).toEqual([]);

      const id = (await register('refused on publish')).json().id as string;
      const afterRegistration = await t.runtime.store.head(owner.org);
      expect((await api('POST', `/api/mcp/servers/${id}/publish`)).statusCode).toBe(500);
      expect(await t.runtime.store.head(owner.org)).toEqual(afterRegistration);
      expect((await api('GET', '/api/mcp/servers')).json().servers).toContainEqual(
        expect.objectContaining({ id, status: 'draft' }),
      );
    });

    it('gates and audits a tool name MCP allows but the event cannot hold verbatim; refuses a longer one', async () => {
      const tool = `t${'é'.repeat(26)}😀${'x'.repeat(100)}`;
      expect(tool.length).toBeGreaterThan(100);
      const gate = await api('POST', '/api/mcp/gate', { vendor: 'cursor', tool, args: {} }, deviceToken);
      expect(gate.statusCode).toBe(200);
      const { callId } = gate.json() as { callId: string };
      const [decided] = (await eventsOf('cp.mcp.gate.decided')).filter(
        (e) => e.subject === `mcp-call/${callId}`,
      );
      const audited = (decided!.data as { tool: string }).tool;
      const digest = createHash('sha256').update(tool).digest('hex');
      expect(audited).toHaveLength(100);
      // The emoji's surrogate pair would straddle the cut; it is left out whole, never split.
      expect(audited).toBe(`t${'é'.repeat(26)}……sha256:${digest}`);

      const report = {
        vendor: 'cursor',
        tool,
        callId,
        decision: 'allow',
        ok: true,
        argsSha256: 'a'.repeat(64),
        masked: false,
        resultBytes: 1,
        durationMs: 1,
        time: new Date().toISOString(),
      };
      expect((await api('POST', '/api/mcp/activity', report, deviceToken)).statusCode).toBe(202);
      const [recorded] = (await eventsOf('cp.mcp.activity.recorded')).filter(
        (e) => e.subject === `mcp-call/${callId}`,
      );
      expect((recorded!.data as { tool: string }).tool).toBe(audited);

      const head = await t.runtime.store.head(owner.org);
      for (const [body, field] of [
        [{ vendor: 'cursor', tool: 'x'.repeat(257), args: {} }, 'body.tool'],
        [{ vendor: 'cursor', tool: 'x', args: { path: 'a\u0000' } }, 'body.args.path'],
      ] as const) {
        const refused = await api('POST', '/api/mcp/gate', body, deviceToken);
        expect(refused.statusCode).toBe(400);
        expect(refused.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      for (const [change, field] of [
        [{ tool: 'x'.repeat(257) }, 'body.tool'],
        [{ callId: 'c'.repeat(201) }, 'body.callId'],
        [{ errorCode: 'e'.repeat(61) }, 'body.errorCode'],
      ] as const) {
        const refused = await api('POST', '/api/mcp/activity', { ...report, ...change }, deviceToken);
        expect(refused.statusCode).toBe(400);
        expect(refused.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect(await t.runtime.store.head(owner.org)).toEqual(head);
    });
  });
}

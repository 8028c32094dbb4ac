import { PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpError } from './errors.js';
import { handleMcpServerCommand, recordMcpActivity } from './handlers.js';

const org = 'org_mcp';
const admin = { kind: 'user' as const, id: 'usr_admin' };

for (const driver of testDrivers) {
  describe(`MCP handlers on ${driver}`, () => {
    let test: TestDatabase;
    let store: PostgresEventStore;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
    });

    it('lets one of two racing publications win; the other is refused on the fresher state', async () => {
      const serverId = 'mcp_race';
      await handleMcpServerCommand({
        store,
        org,
        actor: admin,
        command: {
          type: 'register',
          serverId,
          config: { name: 'files', transport: 'stdio', command: 'npx', args: [] },
          nameTaken: false,
        },
      });
      const publish = () =>
        handleMcpServerCommand({ store, org, actor: admin, command: { type: 'publish', serverId } });
      const outcomes = await Promise.allSettled([publish(), publish()]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const [refused] = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
      expect(refused).toBeInstanceOf(McpError);
      expect(refused).toMatchObject({ code: 'conflict', status: 409 });
      const events = await store.readSubject({ org, subject: `mcp-server/${serverId}` });
      expect(events.map((e) => e.type)).toEqual(['cp.mcp.server.registered', 'cp.mcp.server.published']);
    });

    it("records a device's report under the call's subject, attributed to the device", async () => {
      const [recorded] = await recordMcpActivity({
        store,
        org,
        command: {
          type: 'record',
          callId: 'mcpc_1',
          deviceId: 'dev_1',
          report: {
            vendor: 'claude',
            tool: 'read_file',
            callId: 'mcpc_1',
            decision: 'block',
            ok: false,
            argsSha256: 'b'.repeat(64),
            masked: false,
            resultBytes: 0,
            durationMs: 0,
          },
        },
      });
      expect([recorded?.subject, recorded?.actor]).toEqual([
        'mcp-call/mcpc_1',
        { kind: 'device', id: 'dev_1' },
      ]);
    });
  });
}

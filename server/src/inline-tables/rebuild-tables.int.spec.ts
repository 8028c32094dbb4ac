import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { CommanderError } from 'commander';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCli } from '../cli.js';
import { createHitlService } from '../hitl/service.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  identityTestEnv,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

/** Every inline table and its primary key, the order a snapshot reads it in. */
const TABLES: Record<string, string> = {
  identity_users: 'id',
  identity_credentials: 'user_id',
  identity_orgs: 'id',
  identity_memberships: 'org, user_id',
  identity_invitations: 'id',
  identity_api_keys: 'id',
  gateway_policies: 'org',
  devices: 'id',
  device_pairing_codes: 'code_hash',
  mcp_servers: 'id',
  mcp_activity_counts: 'org, vendor, agent, decision',
  hitl_requests: 'id',
  hitl_approvers: 'id',
  hitl_approver_codes: 'code_hash',
  budget_caps: 'org',
  budget_months: 'org, month',
  budget_reservations: 'org, id',
};

for (const driver of testDrivers) {
  describe(`proofpane rebuild-tables on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let other: Account;

    beforeAll(async () => {
      t = await createIdentityTestApp({
        driver,
        env: { PROOFPANE_TOOLS_ROOT: mkdtempSync(join(tmpdir(), 'pp-rebuild-tools-')) },
      });
      owner = await registerAccount(t.app, { orgName: 'Rebuilt' });
      other = await registerAccount(t.app, { orgName: 'Neighbour' });
      await populate();
    });
    afterAll(() => t.dispose());

    const api = async (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
      url: string,
      payload?: object,
      options: { credential?: string; headers?: Record<string, string>; status?: number } = {},
    ) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { ...auth(options.credential ?? owner.token), ...options.headers },
        ...(payload ? { payload } : {}),
      });
      if (options.status !== undefined)
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(options.status);
      return res;
    };

    const pairDevice = async (name: string) => {
      const code = (await api('POST', '/api/devices/pairing-codes', undefined, { status: 201 })).json().code;
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code, name, platform: 'linux' },
      });
      expect(paired.statusCode).toBe(201);
      return paired.json() as { deviceId: string; token: string };
    };

    const toolCall = (args: object, approved?: string) =>
      api(
        'POST',
        '/api/tools/call',
        { tool: 'write', args },
        approved ? { headers: { 'x-proofpane-hitl': approved } } : {},
      );

    /** Writes rows into every inline table through the API, as people and devices would. */
    async function populate() {
      // Identity: an accepted invitation whose role then changes, a revoked key.
      const invited = await api('POST', '/api/invitations', { email: 'ops@example.test', role: 'admin' });
      const token = invited.json().delivery.link.split('#token=')[1];
      const joined = await t.app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token, password: 'ops password 1' },
      });
      await api('PATCH', `/api/members/${joined.json().user.id}`, { role: 'member' }, { status: 200 });
      const key = await createKey(t.app, { token: owner.token });
      await api('DELETE', `/api/api-keys/${key.id}`);

      // Policy: two versions in one org, one in the other.
      await api('PUT', '/api/policy', { tools: ['read', 'write', 'list'] }, { status: 200 });
      await api('PUT', '/api/policy', { hitl: { tools: ['write'], timeoutSeconds: 600 } }, { status: 200 });
      await api('PUT', '/api/policy', { tools: ['read'] }, { credential: other.token, status: 200 });

      // Devices: one renamed then revoked, one in use, one code never used.
      const retired = await pairDevice('old laptop');
      await api('PATCH', `/api/devices/${retired.deviceId}`, { name: 'retired laptop' }, { status: 200 });
      await api('DELETE', `/api/devices/${retired.deviceId}`, undefined, { status: 200 });
      const laptop = await pairDevice('laptop');
      await api('POST', '/api/devices/pairing-codes', undefined, { status: 201 });
      await t.app.devices.service.seen({ deviceId: laptop.deviceId });

      // MCP registry: deprecated, published and draft servers.
      const files = await api(
        'POST',
        '/api/mcp/servers',
        {
          name: 'files',
          transport: 'stdio',
          command: 'proofpane-daemon',
          args: ['mcp'],
          description: 'local files',
        },
        { status: 201 },
      );
      await api('POST', `/api/mcp/servers/${files.json().id}/publish`, undefined, { status: 200 });
      await api('POST', `/api/mcp/servers/${files.json().id}/deprecate`, undefined, { status: 200 });
      const search = await api(
        'POST',
        '/api/mcp/servers',
        { name: 'search', transport: 'http', url: 'https://mcp.example/search' },
        { status: 201 },
      );
      await api('POST', `/api/mcp/servers/${search.json().id}/publish`, undefined, { status: 200 });
      await api(
        'POST',
        '/api/mcp/servers',
        { name: 'shell', transport: 'stdio', command: 'sh' },
        { status: 201 },
      );

      // MCP gate and activity from the paired device.
      await api(
        'POST',
        '/api/mcp/gate',
        { vendor: 'cursor', tool: 'read', args: { path: 'a.txt' } },
        { credential: laptop.token, status: 200 },
      );
      const report = (vendor: string, decision: string, ok: boolean, masked: boolean) => ({
        vendor,
        tool: 'write',
        decision,
        ok,
        argsSha256: 'a'.repeat(64),
        masked,
        resultBytes: 10,
        durationMs: 3,
        time: new Date().toISOString(),
      });
      for (const r of [
        report('cursor', 'allow', true, true),
        report('cursor', 'allow', false, false),
        report('cursor', 'block', false, false),
        report('claude_desktop', 'hitl_required', false, false),
        report('claude_desktop', 'allow', true, false),
      ])
        await api('POST', '/api/mcp/activity', r, { credential: laptop.token, status: 202 });

      // HITL: approved and used, approved to remember (then auto-approved, then revoked as a
      // precedent), denied, expired, and one left pending.
      const ask = async (args: object) => {
        const res = await toolCall(args);
        expect(res.json().code, res.body).toBe('hitl_required');
        return res.json().hitlRequestId as string;
      };
      const resolve = (id: string, body: object) =>
        api('POST', `/api/hitl/${id}/resolve`, body, { status: 200 });
      const used = { path: 'out/report.md', content: 'quarterly numbers' };
      const usedId = await ask(used);
      await resolve(usedId, { decision: 'approve', note: 'fine' });
      expect((await toolCall(used, usedId)).statusCode).toBe(200);
      const remembered = { path: 'docs/changelog.md', content: 'add release notes for version two' };
      const rememberedId = await ask(remembered);
      await resolve(rememberedId, { decision: 'approve', remember: true });
      expect((await toolCall(remembered)).statusCode).toBe(200);
      await api('DELETE', `/api/hitl/precedents/${rememberedId}`, undefined, { status: 204 });
      await resolve(await ask({ path: 'a.md', content: 'x' }), { decision: 'deny' });
      await ask({ path: 'b.md', content: 'y' });
      // The timeout sweep of a process whose clock is past the deadline denies it by default.
      const later = createHitlService({
        db: t.runtime.database.db,
        store: t.runtime.store,
        now: () => new Date(Date.now() + 3_600_000),
      });
      expect(await later.expireDue()).toBe(1);
      await ask({ path: 'c.md', content: 'z' });
      const approverCode = (await api('POST', '/api/hitl/approvers/pairing-codes')).json().code;
      const approver = await t.app.inject({
        method: 'POST',
        url: '/api/hitl/approvers/pair',
        payload: { code: approverCode, name: 'desk' },
      });
      expect(approver.statusCode).toBe(201);

      // Budget: a cap in one org, a cap set and lifted in the other.
      await api('PUT', '/api/budget', { monthlyUsdCap: 250 }, { status: 200 });
      await api('PUT', '/api/budget', { monthlyUsdCap: 10 }, { credential: other.token, status: 200 });
      await api('PUT', '/api/budget', { monthlyUsdCap: null }, { credential: other.token, status: 200 });
    }

    const snapshot = async () => {
      const db = t.runtime.database.db;
      const tables: Record<string, unknown[]> = {};
      for (const [table, key] of Object.entries(TABLES)) {
        const { rows } = await sql<Record<string, unknown>>`
          SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(key)}`.execute(db);
        // The budget rebuild bumps each month row's version on purpose, so a cached ledger reloads it.
        tables[table] = table === 'budget_months' ? rows.map(({ version: _version, ...row }) => row) : rows;
      }
      return tables;
    };

    /** `proofpane rebuild-tables …` on the spec's database: what it printed, and the error it ended with. */
    const run = async (...args: string[]): Promise<{ printed: string; error?: unknown }> => {
      const printed: string[] = [];
      const cli = createCli({
        openRuntime: async () => ({ ...t.runtime, close: async () => {} }),
        out: (text) => printed.push(text),
        readStdin: async () => '',
        env: { ...identityTestEnv, PROOFPANE_DATA_DIR: t.config.dataDir },
      });
      cli.commands
        .find((c) => c.name() === 'rebuild-tables')!
        .exitOverride()
        .configureOutput({ writeOut: (text) => printed.push(text), writeErr: (text) => printed.push(text) });
      try {
        await cli.parseAsync(['node', 'proofpane', 'rebuild-tables', ...args]);
      } catch (error) {
        return { printed: printed.join(''), error };
      }
      return { printed: printed.join('') };
    };
    const rebuildTables = async (...args: string[]) => {
      const { printed, error } = await run(...args);
      if (error) throw error;
      return printed;
    };

    it('derives every inline table again, row for row, from the org chains', async () => {
      const before = await snapshot();
      const empty = Object.entries(before)
        .filter(
          ([table, rows]) =>
            rows.length === 0 && !table.startsWith('budget_months') && table !== 'budget_reservations',
        )
        .map(([table]) => table);
      // Every table the rebuild writes holds rows, so equality below compares real data.
      expect(empty).toEqual([]);
      expect(before.hitl_requests!.map((r) => (r as { status: string }).status).sort()).toEqual([
        'approved',
        'approved',
        'approved',
        'denied',
        'expired',
        'pending',
      ]);

      const printed = await rebuildTables();
      expect(printed).toMatch(/^identity: \d+ events read; rebuilt identity_orgs 2 rows/m);
      expect(printed).toMatch(/^policy: 3 events read; rebuilt gateway_policies 2 rows$/m);
      expect(printed).toMatch(
        /^devices: 7 events read; rebuilt devices 2 rows, device_pairing_codes 3 rows$/m,
      );
      expect(printed).toMatch(
        /^mcp: 11 events read; rebuilt mcp_servers 3 rows, mcp_activity_counts 4 rows$/m,
      );
      expect(printed).toMatch(
        /^hitl: \d+ events read; rebuilt hitl_requests 6 rows, hitl_approvers 1 rows$/m,
      );
      expect(printed).toMatch(/^budget: 3 events read; rebuilt budget_caps 2 rows/m);
      expect(printed).not.toContain('not restored');
      expect(await snapshot()).toEqual(before);

      // A second run changes nothing either.
      await rebuildTables();
      expect(await snapshot()).toEqual(before);
    });

    it('restores rows that were changed or deleted behind the events’ back', async () => {
      const before = await snapshot();
      const db = t.runtime.database.db;
      await sql`UPDATE gateway_policies SET version = 1, document = '{}' WHERE org = ${owner.org}`.execute(
        db,
      );
      await sql`DELETE FROM gateway_policies WHERE org = ${other.org}`.execute(db);
      await sql`UPDATE devices SET name = 'tampered', revoked_at = NULL, platform = 'x'`.execute(db);
      await sql`UPDATE device_pairing_codes SET org = ${other.org}, expires_at = now()`.execute(db);
      await sql`UPDATE mcp_servers SET status = 'published', config = '{"name":"files"}', name = name || '-x'`.execute(
        db,
      );
      await sql`UPDATE mcp_activity_counts SET calls = calls + 40, failed = 7`.execute(db);
      await sql`INSERT INTO mcp_activity_counts VALUES (${owner.org}, 'ghost', 'default', 'allow', 1, 0, 0)`.execute(
        db,
      );
      await sql`UPDATE hitl_requests SET status = 'approved', consumed = NOT consumed, precedent_revoked = false,
        context = '{}', note = 'forged'`.execute(db);
      // A request a person resolved: the sweeper's rows carry the spec's shifted clock, which no event holds.
      await sql`DELETE FROM hitl_requests WHERE id IN (
        SELECT id FROM hitl_requests WHERE resolved_by IS DISTINCT FROM 'hitl-timeout' ORDER BY id LIMIT 1)`.execute(
        db,
      );
      await sql`UPDATE hitl_approvers SET name = 'forged', created_by = 'usr_forged'`.execute(db);
      await sql`DELETE FROM identity_memberships WHERE org = ${owner.org} AND role = 'member'`.execute(db);
      await sql`UPDATE budget_caps SET cap_micros = 1`.execute(db);
      expect(await snapshot()).not.toEqual(before);

      for (const name of ['identity', 'policy', 'devices', 'mcp', 'hitl', 'budget'])
        expect(await rebuildTables(name)).toMatch(new RegExp(`^${name}: `));
      const after = await snapshot();
      // Instants are kept from the live row; where it lost one (a revocation cleared, a request deleted)
      // the event's time fills it in, a moment after the clock the service wrote the row with.
      const INSTANTS: Record<string, string[]> = {
        devices: ['revoked_at'],
        hitl_requests: ['created_at', 'resolved_at'],
      };
      const withoutInstants = (tables: Record<string, unknown[]>) =>
        Object.fromEntries(
          Object.entries(tables).map(([table, rows]) => [
            table,
            rows.map((row) => {
              const copy = { ...(row as Record<string, unknown>) };
              for (const column of INSTANTS[table] ?? []) copy[column] = copy[column] === null ? null : 'set';
              // A document rebuilt from its event is the event's canonical JSON: the same value.
              if (table === 'gateway_policies') copy.document = JSON.parse(copy.document as string);
              return copy;
            }),
          ]),
        );
      expect(withoutInstants(after)).toEqual(withoutInstants(before));
      const near = (a: unknown, b: unknown) => Math.abs((a as Date).getTime() - (b as Date).getTime());
      for (const [table, columns] of Object.entries(INSTANTS))
        for (const [i, row] of (after[table] as Record<string, unknown>[]).entries())
          for (const column of columns)
            if (row[column] !== null)
              expect(near(row[column], (before[table]![i] as Record<string, unknown>)[column])).toBeLessThan(
                1_000,
              );
    });

    it('leaves a table group as it was when its rebuild fails', async () => {
      const before = await snapshot();
      const db = t.runtime.database.db;
      // A constraint the rebuilt rows break makes the last insert fail after the deletes ran.
      await sql`ALTER TABLE mcp_activity_counts ADD CONSTRAINT no_claude_desktop CHECK (vendor <> 'claude_desktop') NOT VALID`.execute(
        db,
      );
      try {
        expect(String((await run('mcp')).error)).toContain('no_claude_desktop');
      } finally {
        await sql`ALTER TABLE mcp_activity_counts DROP CONSTRAINT no_claude_desktop`.execute(db);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('names the valid groups for an unknown one, and documents itself in --help', async () => {
      const unknown = await run('ledger');
      expect(unknown.error).toBeInstanceOf(CommanderError);
      expect(unknown.printed).toContain(
        'unknown table group "ledger"; one of identity, policy, devices, mcp, hitl, workflows, workflow-hooks, integrations, budget',
      );
      const help = await run('--help');
      expect((help.error as CommanderError).code).toBe('commander.helpDisplayed');
      expect(help.printed).toContain('Usage: proofpane rebuild-tables [options] [name]');
      // Commander wraps the help text at 80 columns.
      expect(help.printed.replace(/\s+/g, ' ')).toContain(
        'one table group: identity, policy, devices, mcp, hitl, workflows, workflow-hooks, integrations, budget',
      );
    });

    it('keeps what only a row held, and reports rows no event can bring back', async () => {
      const db = t.runtime.database.db;
      const legacy = async (name: string) => {
        const serverId = newId('mcp');
        // A registration from before the events held the configuration.
        await t.runtime.store.append({
          org: owner.org,
          events: [
            {
              type: 'cp.mcp.server.registered',
              subject: `mcp-server/${serverId}`,
              actor: { kind: 'user', id: owner.userId },
              data: { serverId, name, transport: 'stdio' },
            },
          ],
        });
        return serverId;
      };
      const kept = await legacy('legacy');
      const config = JSON.stringify({ name: 'legacy', transport: 'stdio', command: 'legacy-mcp', args: [] });
      await sql`INSERT INTO mcp_servers VALUES (${kept}, ${owner.org}, 'legacy', 'stdio', ${config}, 'draft', now(), now())`.execute(
        db,
      );
      await legacy('lost');
      await sql`DELETE FROM devices WHERE name = 'laptop'`.execute(db);

      expect(await rebuildTables('devices')).toContain(
        '  devices: 1 rows the events describe were not restored',
      );
      expect(await rebuildTables('mcp')).toContain(
        '  mcp_servers: 1 rows the events describe were not restored',
      );
      const { rows } = await sql<{ name: string; config: string }>`
        SELECT name, config FROM mcp_servers WHERE name IN ('legacy', 'lost')`.execute(db);
      expect(rows).toEqual([{ name: 'legacy', config }]);
      const devices = await sql<{ name: string }>`SELECT name FROM devices ORDER BY name`.execute(db);
      expect(devices.rows).toEqual([{ name: 'retired laptop' }]);
    });
  });
}

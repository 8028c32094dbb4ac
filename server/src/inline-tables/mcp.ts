import { type Kysely, sql } from 'kysely';
import { configOfRegistered, type RegisteredEventData } from '../mcp/registered-event.js';
import { foldEvents } from './event-pages.js';
import { deleteAll, insertRows, instant, jsonText, liveRows, lockTables } from './kept.js';
import type { InlineTableGroup } from './types.js';

interface ServerRow {
  id: string;
  org: string;
  name: string;
  transport: string;
  config: string;
  status: 'draft' | 'published' | 'deprecated';
  created_at: Date;
  updated_at: Date;
}

interface CountRow {
  org: string;
  vendor: string;
  agent: string;
  decision: string;
  calls: number;
  masked: number;
  failed: number;
}

const MCP_TYPES = [
  'cp.mcp.server.registered',
  'cp.mcp.server.published',
  'cp.mcp.server.deprecated',
  'cp.mcp.activity.recorded',
];

/**
 * `mcp_servers` and `mcp_activity_counts`. A server's org, name, transport, configuration and status
 * come from its `cp.mcp.server.*` events; `created_at` and `updated_at` are kept from the live row (the
 * writer's clock), else the events' times. A registration recorded before its event held the
 * configuration keeps the live row's `config`; without a row it cannot be written back (unrecoverable).
 * The activity counts are summed from `cp.mcp.activity.recorded` per org, vendor, the reporting
 * device's agent scope (its `devices.agent`, `default` when unset) and decision: `masked` counts masked
 * calls, `failed` allowed calls that did not succeed.
 */
export const mcpTables: InlineTableGroup = {
  name: 'mcp',
  tables: ['mcp_servers', 'mcp_activity_counts'],
  async rebuild(trx: Kysely<unknown>) {
    await lockTables(trx, this.tables);
    const liveServers = await liveRows<ServerRow>(trx, 'mcp_servers', (r) => r.id);
    const { rows: scopes } = await sql<{ id: string; agent: string | null }>`
      SELECT id, agent FROM devices`.execute(trx);
    const scopeOf = new Map(scopes.map((d) => [d.id, d.agent ?? 'default']));
    const servers = new Map<
      string,
      {
        data: RegisteredEventData;
        org: string;
        status: ServerRow['status'];
        createdAt: string;
        updatedAt: string;
      }
    >();
    const counts = new Map<string, CountRow>();
    const events = await foldEvents(trx, MCP_TYPES, (event) => {
      if (event.type === 'cp.mcp.activity.recorded') {
        const data = event.data as {
          deviceId: string;
          vendor: string;
          decision: string;
          ok: boolean;
          masked: boolean;
        };
        const agent = scopeOf.get(data.deviceId) ?? 'default';
        const key = JSON.stringify([event.org, data.vendor, agent, data.decision]);
        const row = counts.get(key) ?? {
          org: event.org,
          vendor: data.vendor,
          agent,
          decision: data.decision,
          calls: 0,
          masked: 0,
          failed: 0,
        };
        row.calls += 1;
        if (data.masked) row.masked += 1;
        if (!data.ok && data.decision === 'allow') row.failed += 1;
        counts.set(key, row);
        return;
      }
      if (event.type === 'cp.mcp.server.registered') {
        const data = event.data as unknown as RegisteredEventData;
        servers.set(data.serverId, {
          data,
          org: event.org,
          status: 'draft',
          createdAt: event.time,
          updatedAt: event.time,
        });
        return;
      }
      const server = servers.get((event.data as { serverId: string }).serverId);
      if (!server) return;
      server.status = event.type === 'cp.mcp.server.published' ? 'published' : 'deprecated';
      server.updatedAt = event.time;
    });

    let lost = 0;
    const serverRows: ServerRow[] = [];
    for (const [id, s] of servers) {
      const live = liveServers.get(id);
      const config = configOfRegistered(s.data);
      if (!config && !live) {
        lost += 1;
        continue;
      }
      serverRows.push({
        id,
        org: s.org,
        name: s.data.name,
        transport: s.data.transport,
        config: config ? jsonText(live?.config, config) : live!.config,
        status: s.status,
        created_at: instant(live?.created_at, s.createdAt),
        updated_at: instant(live?.updated_at, s.updatedAt),
      });
    }
    const countRows = [...counts.values()];
    await deleteAll(trx, 'mcp_servers');
    await deleteAll(trx, 'mcp_activity_counts');
    await insertRows(trx, 'mcp_servers', serverRows);
    await insertRows(trx, 'mcp_activity_counts', countRows);
    return {
      events,
      rows: { mcp_servers: serverRows.length, mcp_activity_counts: countRows.length },
      unrecoverable: { mcp_servers: lost },
    };
  },
};

import { type Actor, type EventStore, newId } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { apiError } from '../http/errors.js';

export const mcpServerInput = z.discriminatedUnion('transport', [
  z.strictObject({
    name: z.string().trim().min(1).max(100),
    transport: z.literal('stdio'),
    command: z.string().min(1).max(500),
    args: z.array(z.string().max(500)).max(50).default([]),
    description: z.string().max(500).optional(),
  }),
  z.strictObject({
    name: z.string().trim().min(1).max(100),
    transport: z.literal('http'),
    url: z.url({ protocol: /^https?$/ }),
    description: z.string().max(500).optional(),
  }),
]);

export type McpServerInput = z.infer<typeof mcpServerInput>;
export type McpServerStatus = 'draft' | 'published' | 'deprecated';

interface Row {
  id: string;
  name: string;
  transport: string;
  config: string;
  status: McpServerStatus;
  created_at: Date;
  updated_at: Date;
}

const NEXT: Record<'publish' | 'deprecate', { from: McpServerStatus; to: McpServerStatus }> = {
  publish: { from: 'draft', to: 'published' },
  deprecate: { from: 'published', to: 'deprecated' },
};

/** The org's curated MCP servers: draft → published → deprecated; members only see published ones. */
export function createMcpRegistry(options: { db: Kysely<unknown>; store: EventStore; now: () => Date }) {
  const { db, store, now } = options;
  const view = (row: Row) => ({
    id: row.id,
    status: row.status,
    ...(JSON.parse(row.config) as McpServerInput),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  });
  return {
    async register({ org, actor, input }: { org: string; actor: Actor; input: McpServerInput }) {
      const { rows } = await sql<{
        id: string;
      }>`SELECT id FROM mcp_servers WHERE org = ${org} AND name = ${input.name}`.execute(db);
      if (rows.length > 0) throw apiError('conflict', `an MCP server named "${input.name}" already exists`);
      const serverId = newId('mcp');
      await store.append({
        org,
        events: [
          {
            type: 'cp.mcp.server.registered',
            subject: `mcp-server/${serverId}`,
            actor,
            data: { serverId, name: input.name, transport: input.transport },
          },
        ],
      });
      const at = now();
      await sql`INSERT INTO mcp_servers (id, org, name, transport, config, status, created_at, updated_at)
        VALUES (${serverId}, ${org}, ${input.name}, ${input.transport}, ${JSON.stringify(input)}, 'draft', ${at}, ${at})`.execute(
        db,
      );
      return this.get({ org, serverId, includeDrafts: true });
    },

    async get({ org, serverId, includeDrafts }: { org: string; serverId: string; includeDrafts: boolean }) {
      const { rows } =
        await sql<Row>`SELECT * FROM mcp_servers WHERE org = ${org} AND id = ${serverId}`.execute(db);
      const row = rows[0];
      if (!row || (!includeDrafts && row.status !== 'published'))
        throw apiError('not_found', `no MCP server ${serverId}`);
      return view(row);
    },

    async list({ org, includeAll }: { org: string; includeAll: boolean }) {
      const { rows } = includeAll
        ? await sql<Row>`SELECT * FROM mcp_servers WHERE org = ${org} ORDER BY name`.execute(db)
        : await sql<Row>`SELECT * FROM mcp_servers WHERE org = ${org} AND status = 'published' ORDER BY name`.execute(
            db,
          );
      return rows.map(view);
    },

    async transition({
      org,
      actor,
      serverId,
      action,
    }: {
      org: string;
      actor: Actor;
      serverId: string;
      action: 'publish' | 'deprecate';
    }) {
      const current = await this.get({ org, serverId, includeDrafts: true });
      const step = NEXT[action];
      if (current.status !== step.from) {
        throw apiError(
          'conflict',
          `cannot ${action} a server that is ${current.status}; it must be ${step.from}`,
        );
      }
      await store.append({
        org,
        events: [
          {
            type: action === 'publish' ? 'cp.mcp.server.published' : 'cp.mcp.server.deprecated',
            subject: `mcp-server/${serverId}`,
            actor,
            data: { serverId },
          },
        ],
      });
      await sql`UPDATE mcp_servers SET status = ${step.to}, updated_at = ${now()} WHERE org = ${org} AND id = ${serverId}`.execute(
        db,
      );
      return this.get({ org, serverId, includeDrafts: true });
    },
  };
}

export type McpRegistry = ReturnType<typeof createMcpRegistry>;

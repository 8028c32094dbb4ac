import {
  handleMcpServerCommand,
  MCP_SERVER_TRANSITIONS,
  McpError,
  type McpServerStatus,
  nameTakenDetail,
} from '@proofpane/commands';
import { type Actor, ConcurrencyError, type EventStore, newId } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { apiError } from '../http/errors.js';
import type { McpServerInput } from './server-input.js';

const UNIQUE_VIOLATION = '23505';

/** A refused row or a stale version means another request changed the registry first. */
function raced(error: unknown, detail: string): unknown {
  if (error instanceof ConcurrencyError || (error as { code?: unknown }).code === UNIQUE_VIOLATION)
    return apiError('conflict', detail);
  return error;
}

export type { McpServerStatus };

interface Row {
  id: string;
  name: string;
  transport: string;
  config: string;
  status: McpServerStatus;
  created_at: Date;
  updated_at: Date;
}

/**
 * The org's curated MCP servers: draft → published → deprecated, decided in `@proofpane/commands` (mcp);
 * members only see published ones. Each row is written in its event's transaction.
 */
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
    /**
     * The event and the row commit together: a duplicate name (the UNIQUE (org, name) row) refuses the
     * event as well, so two racing registrations leave one event and one row.
     */
    async register({ org, actor, input }: { org: string; actor: Actor; input: McpServerInput }) {
      const { rows } = await sql<{
        id: string;
      }>`SELECT id FROM mcp_servers WHERE org = ${org} AND name = ${input.name}`.execute(db);
      const serverId = newId('mcp');
      await handleMcpServerCommand({
        store,
        org,
        actor,
        command: { type: 'register', serverId, config: input, nameTaken: rows.length > 0 },
        inline: async (trx) => {
          const at = now();
          await sql`INSERT INTO mcp_servers (id, org, name, transport, config, status, created_at, updated_at)
            VALUES (${serverId}, ${org}, ${input.name}, ${input.transport}, ${JSON.stringify(input)}, 'draft', ${at}, ${at})`.execute(
            trx,
          );
        },
      }).catch((error: unknown) => {
        throw raced(error, nameTakenDetail(input.name));
      });
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
      const step = MCP_SERVER_TRANSITIONS[action];
      await handleMcpServerCommand({
        store,
        org,
        actor,
        command: { type: action, serverId },
        inline: async (trx) => {
          // The row changes only from the status the decider checked, in the event's transaction.
          const updated = await sql`UPDATE mcp_servers SET status = ${step.to}, updated_at = ${now()}
            WHERE org = ${org} AND id = ${serverId} AND status = ${step.from}`.execute(trx);
          if (Number(updated.numAffectedRows ?? 0) !== 1)
            throw new McpError(
              'conflict',
              `cannot ${action} a server that is no longer ${step.from}; it must be ${step.from}`,
            );
        },
      }).catch((error: unknown) => {
        throw raced(error, `the server ${serverId} changed before it became ${step.to}; read it again`);
      });
      return this.get({ org, serverId, includeDrafts: true });
    },
  };
}

export type McpRegistry = ReturnType<typeof createMcpRegistry>;

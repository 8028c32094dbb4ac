import { type Actor, ConcurrencyError, type EventStore, newId } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { apiError } from '../http/errors.js';
import { registeredEventData } from './registered-event.js';
import type { McpServerInput } from './server-input.js';

const UNIQUE_VIOLATION = '23505';
const subjectOf = (serverId: string) => `mcp-server/${serverId}`;

/** A refused row or a stale version means another request changed the registry first. */
function raced(error: unknown, detail: string): unknown {
  if (error instanceof ConcurrencyError || (error as { code?: unknown }).code === UNIQUE_VIOLATION)
    return apiError('conflict', detail);
  return error;
}

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
    /**
     * The event and the row commit together: a duplicate name (the UNIQUE (org, name) row) refuses the
     * event as well, so two racing registrations leave one event and one row.
     */
    async register({ org, actor, input }: { org: string; actor: Actor; input: McpServerInput }) {
      const { rows } = await sql<{
        id: string;
      }>`SELECT id FROM mcp_servers WHERE org = ${org} AND name = ${input.name}`.execute(db);
      const taken = `an MCP server named "${input.name}" already exists`;
      if (rows.length > 0) throw apiError('conflict', taken);
      const serverId = newId('mcp');
      await store
        .append({
          org,
          events: [
            {
              type: 'cp.mcp.server.registered',
              subject: subjectOf(serverId),
              actor,
              data: registeredEventData(serverId, input),
            },
          ],
          expectedVersions: { [subjectOf(serverId)]: 0 },
          inline: async (trx) => {
            const at = now();
            await sql`INSERT INTO mcp_servers (id, org, name, transport, config, status, created_at, updated_at)
              VALUES (${serverId}, ${org}, ${input.name}, ${input.transport}, ${JSON.stringify(input)}, 'draft', ${at}, ${at})`.execute(
              trx,
            );
          },
        })
        .catch((error: unknown) => {
          throw raced(error, taken);
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
      const current = await this.get({ org, serverId, includeDrafts: true });
      const step = NEXT[action];
      const refused = (status: string) =>
        apiError('conflict', `cannot ${action} a server that is ${status}; it must be ${step.from}`);
      if (current.status !== step.from) throw refused(current.status);
      const subject = subjectOf(serverId);
      const version = (await store.readSubject({ org, subject })).at(-1)?.subjectVersion ?? 0;
      // Expecting the version read, two racing transitions cannot both append: the second is refused
      // with 409. The row changes only from the status checked, in the event's transaction.
      await store
        .append({
          org,
          events: [
            {
              type: action === 'publish' ? 'cp.mcp.server.published' : 'cp.mcp.server.deprecated',
              subject,
              actor,
              data: { serverId },
            },
          ],
          expectedVersions: { [subject]: version },
          inline: async (trx) => {
            const updated = await sql`UPDATE mcp_servers SET status = ${step.to}, updated_at = ${now()}
              WHERE org = ${org} AND id = ${serverId} AND status = ${step.from}`.execute(trx);
            if (Number(updated.numAffectedRows ?? 0) !== 1) throw refused(`no longer ${step.from}`);
          },
        })
        .catch((error: unknown) => {
          throw raced(error, `the server ${serverId} changed before it became ${step.to}; read it again`);
        });
      return this.get({ org, serverId, includeDrafts: true });
    },
  };
}

export type McpRegistry = ReturnType<typeof createMcpRegistry>;

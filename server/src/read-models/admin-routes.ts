import { parseCursor, START_CURSOR } from '@proofpane/core';
import type { FastifyPluginAsync } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { ReadSide } from './read-side.js';

/** The org's events of `types` after a projection's global cursor: its lag as far as this org can tell. */
async function orgLag(
  db: Kysely<unknown>,
  options: { org: string; cursor: string | null; types: readonly string[] | undefined },
) {
  const { txId, position } = parseCursor(options.cursor ?? START_CURSOR);
  const types = options.types?.length ? sql`AND type = ANY(${[...options.types]}::text[])` : sql``;
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM events
    WHERE org = ${options.org}
      AND (tx_id, position) > (${txId.toString()}::xid8, ${position.toString()}::bigint)
      ${types}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Each projection's state, lag and failures as the caller's org sees them. Any org's admin may ask,
 * so the answer holds nothing deployment-wide: no global cursor, no lag counting other orgs' events,
 * no runner error (it may quote another org's event). Operators read those with `proofpane
 * projections status` on the server.
 */
export const adminRoutes: FastifyPluginAsync<{ side: ReadSide }> = async (app, { side }) => {
  app.get(
    '/api/admin/projections',
    {
      schema: {
        tags: ['admin'],
        summary: "Read-model state, lag of the caller's org, and the org's failures",
      },
    },
    async (request, reply) => {
      const org = await side.resolveOrg(request, reply, 'admin');
      const running = side.running();
      const statuses = await running.status({ org });
      const projections = await Promise.all(
        statuses.map(async (s, i) => ({
          name: s.name,
          version: s.version,
          state: s.state,
          lag: await orgLag(side.db, { org, cursor: s.position, types: running.projections[i]?.handles }),
          failureCount: s.failureCount,
          failures: s.failures,
        })),
      );
      return { projections };
    },
  );
};

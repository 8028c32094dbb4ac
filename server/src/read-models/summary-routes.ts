import { type AuditNames, type AuditSummary, auditNamesQuery, auditSummaryQuery } from '@proofpane/api';
import { activitySummary } from '@proofpane/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { resolveNames } from './names.js';
import type { ReadSide } from './read-side.js';

/** HITL requests waiting for a person; zero when the HITL queue is not part of this server. */
async function approvalsPending(db: Kysely<unknown>, org: string): Promise<number> {
  try {
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM hitl_requests WHERE org = ${org} AND status = 'pending'`.execute(db);
    return Number(rows[0]?.n ?? 0);
  } catch (error) {
    if ((error as { code?: unknown }).code === '42P01') return 0;
    throw error;
  }
}

/** Mission Control's summary (tiles and hourly chart) and the names of ids live events bring. */
export const summaryRoutes: FastifyPluginAsync<{ side: ReadSide }> = async (base, { side }) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/audit/summary',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Calls, refusals and cost in the last hour and per hour over the last 24 h; approvals pending',
        querystring: auditSummaryQuery,
      },
    },
    async (request, reply): Promise<AuditSummary> => {
      const org = await side.resolveOrg(request, reply, 'member');
      const [activity, pending] = await Promise.all([
        activitySummary({ db: side.db, org, now: side.now() }),
        approvalsPending(side.db, org),
      ]);
      return { window: request.query.window, ...activity, approvalsPending: pending };
    },
  );

  app.get(
    '/api/audit/names',
    {
      schema: {
        tags: ['audit'],
        summary: "Readable names (email, key or device name) of up to 100 of the org's ids",
        querystring: auditNamesQuery,
      },
    },
    async (request, reply): Promise<AuditNames> => {
      const org = await side.resolveOrg(request, reply, 'member');
      return { names: await resolveNames({ db: side.db, org, ids: request.query.ids }) };
    },
  );
};

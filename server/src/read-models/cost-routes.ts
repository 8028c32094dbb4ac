import { type CostDaily, type CostSummary, type CostTop, costDailyQuery, costTopQuery } from '@proofpane/api';
import { costDaily, costSummary, costTop } from '@proofpane/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { resolveNames } from './names.js';
import type { ReadSide } from './read-side.js';

/** Models called this month that no price covered (`provider/model` in the budget table). */
async function unpricedModels(db: Kysely<unknown>, org: string, month: string): Promise<Set<string>> {
  try {
    const { rows } = await sql<{ model: string }>`
      SELECT model FROM budget_unpriced_models WHERE org = ${org} AND month = ${month}`.execute(db);
    return new Set(rows.flatMap((r) => [r.model, r.model.slice(r.model.indexOf('/') + 1)]));
  } catch (error) {
    if ((error as { code?: unknown }).code === '42P01') return new Set();
    throw error;
  }
}

/** Spend this month: summary with cap and forecasts, the daily series, and the top spenders. */
export const costRoutes: FastifyPluginAsync<{ side: ReadSide }> = async (base, { side }) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/cost/summary',
    {
      schema: {
        tags: ['cost'],
        summary: 'Month to date, cap, reserved, forecasts and anomalies (USD micros)',
      },
    },
    async (request, reply): Promise<CostSummary> =>
      costSummary({ db: side.db, org: await side.resolveOrg(request, reply, 'member'), now: side.now() }),
  );

  app.get(
    '/api/cost/daily',
    {
      schema: {
        tags: ['cost'],
        summary: 'Spend per UTC day, oldest first, zeros included',
        querystring: costDailyQuery,
      },
    },
    async (request, reply): Promise<CostDaily> => ({
      days: await costDaily({
        db: side.db,
        org: await side.resolveOrg(request, reply, 'member'),
        days: request.query.days,
        now: side.now(),
      }),
    }),
  );

  app.get(
    '/api/cost/top',
    {
      schema: {
        tags: ['cost'],
        summary: "This month's highest spenders by user, API key, model or agent",
        querystring: costTopQuery,
      },
    },
    async (request, reply): Promise<CostTop> => {
      const now = side.now();
      const { by, limit } = request.query;
      const org = await side.resolveOrg(request, reply, 'member');
      const month = now.toISOString().slice(0, 7);
      const entries = await costTop({ db: side.db, org, by, now, limit });
      if (by === 'user' || by === 'apikey') {
        const names = await resolveNames({ db: side.db, org, ids: entries.map((e) => e.key) });
        return { by, month, entries: entries.map((e) => (names[e.key] ? { ...e, label: names[e.key] } : e)) };
      }
      if (by === 'model') {
        const unpriced = await unpricedModels(side.db, org, month);
        return {
          by,
          month,
          entries: entries.map((e) => (unpriced.has(e.key) ? { ...e, unpriced: true } : e)),
        };
      }
      return { by, month, entries };
    },
  );
};

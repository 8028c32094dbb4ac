import { type CostDaily, type CostSummary, type CostTop, costDailyQuery, costTopQuery } from '@proofpane/api';
import { costDaily, costSummary, costTop } from '@proofpane/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ReadSide } from './read-side.js';

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
      return {
        by,
        month: now.toISOString().slice(0, 7),
        entries: await costTop({ db: side.db, org, by, now, limit }),
      };
    },
  );
};

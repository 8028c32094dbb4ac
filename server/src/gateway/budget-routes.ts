import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import { type BudgetView, microsToUsd, setBudgetCap, viewBudget } from './commands.js';
import type { GatewayContext } from './context.js';

const bearer = [{ bearer: [] }];
const budgetOut = z.object({
  month: z.string(),
  monthlyUsdCap: z.number().nullable(),
  spentUsd: z.number(),
  reservedUsd: z.number(),
  forecast: z.object({ linearUsd: z.number(), rolling7dUsd: z.number(), worstCaseUsd: z.number() }),
});

const render = (v: BudgetView): z.infer<typeof budgetOut> => ({
  month: v.month,
  monthlyUsdCap: v.capMicros === null ? null : microsToUsd(v.capMicros),
  spentUsd: microsToUsd(v.spentMicros),
  reservedUsd: microsToUsd(v.reservedMicros),
  forecast: {
    linearUsd: microsToUsd(v.forecast.linearMicros),
    rolling7dUsd: microsToUsd(v.forecast.rolling7dMicros),
    worstCaseUsd: microsToUsd(v.forecast.worstCaseMicros),
  },
});

/** The org's monthly USD cap (stored in integer micro-dollars) and this month's spend and forecast. */
export function budgetRoutes(ctx: GatewayContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/budget',
      {
        onRequest: requireRole('member'),
        schema: {
          tags: ['budget'],
          summary: 'This month: cap, spent, reserved, forecast',
          security: bearer,
          response: { 200: budgetOut },
        },
      },
      async (request) =>
        render(await viewBudget({ ledger: ctx.ledger, org: principalOf(request).org, now: ctx.now() })),
    );
    app.put(
      '/api/budget',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['budget'],
          summary: 'Set the monthly USD cap (null removes it)',
          security: bearer,
          body: z.object({ monthlyUsdCap: z.number().nonnegative().max(1e9).nullable() }),
          response: { 200: budgetOut },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const usd = request.body.monthlyUsdCap;
        const now = ctx.now();
        await setBudgetCap({
          store: request.server.runtime.store,
          ledger: ctx.ledger,
          org: p.org,
          actor: p.actor,
          capMicros: usd === null ? null : Math.round(usd * 1_000_000),
          now,
        });
        return render(await viewBudget({ ledger: ctx.ledger, org: p.org, now }));
      },
    );
  };
}

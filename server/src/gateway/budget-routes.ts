import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import {
  acknowledgeAnomalies,
  type BudgetView,
  type ModelPrice,
  microsToUsd,
  setBudgetCap,
  setBudgetPrices,
  usdPerMTokToMicros,
  viewBudget,
} from './commands.js';
import type { GatewayContext } from './context.js';

const bearer = [{ bearer: [] }];
const priceOut = z.object({ inputUsdPerMTok: z.number(), outputUsdPerMTok: z.number() });
const priceIn = z.strictObject({
  inputUsdPerMTok: z.number().nonnegative().max(1e6),
  outputUsdPerMTok: z.number().nonnegative().max(1e6),
});
const budgetOut = z.object({
  month: z.string(),
  monthlyUsdCap: z.number().nullable(),
  spentUsd: z.number(),
  reservedUsd: z.number(),
  forecast: z.object({ linearUsd: z.number(), rolling7dUsd: z.number(), worstCaseUsd: z.number() }),
  /** True while a provider anomaly waits for an admin: the org's calls are refused (`provider_anomaly`). */
  blocked: z.boolean(),
  openProviderAnomalies: z.number().int(),
  /** Models called this month that no price covered: they cost $0 and no cap limited them. */
  unpricedModels: z.array(z.object({ model: z.string(), calls: z.number().int() })),
  prices: z.object({ models: z.record(z.string(), priceOut), defaultPrice: priceOut.nullable() }),
});

const usdPrice = (p: ModelPrice) => ({
  inputUsdPerMTok: microsToUsd(p.inputMicrosPerMTok),
  outputUsdPerMTok: microsToUsd(p.outputMicrosPerMTok),
});
const microPrice = (p: z.infer<typeof priceIn>): ModelPrice => ({
  inputMicrosPerMTok: usdPerMTokToMicros(p.inputUsdPerMTok),
  outputMicrosPerMTok: usdPerMTokToMicros(p.outputUsdPerMTok),
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
  blocked: v.openAnomalies > 0,
  openProviderAnomalies: v.openAnomalies,
  unpricedModels: v.unpricedModels,
  prices: {
    models: Object.fromEntries(Object.entries(v.models).map(([k, p]) => [k, usdPrice(p)])),
    defaultPrice: v.defaultPrice ? usdPrice(v.defaultPrice) : null,
  },
});

/**
 * The org's monthly USD cap (stored in integer micro-dollars), this month's spend and forecast, the org's
 * own model prices, and the acknowledgement of provider anomalies that block its calls.
 */
export function budgetRoutes(ctx: GatewayContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const view = (request: FastifyRequest) =>
      viewBudget({
        ledger: ctx.ledger,
        orgBudgets: ctx.orgBudgets,
        org: principalOf(request).org,
        now: ctx.now(),
      }).then(render);
    app.get(
      '/api/budget',
      {
        onRequest: requireRole('member'),
        schema: {
          tags: ['budget'],
          summary: 'This month: cap, spent, reserved, forecast, unpriced models, own prices, anomalies',
          security: bearer,
          response: { 200: budgetOut },
        },
      },
      async (request) => view(request),
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
        await setBudgetCap({
          store: request.server.runtime.store,
          orgBudgets: ctx.orgBudgets,
          org: p.org,
          actor: p.actor,
          capMicros: usd === null ? null : Math.round(usd * 1_000_000),
        });
        return view(request);
      },
    );
    app.put(
      '/api/budget/prices',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['budget'],
          summary:
            "Set the org's own prices (USD per million tokens) per provider/model, and a default for unpriced models; replaces the previous set",
          security: bearer,
          body: z.strictObject({
            models: z
              .record(z.string().regex(/^[a-z][a-z0-9-]*\/\S{1,250}$/, 'a "provider/model" key'), priceIn)
              .refine((m) => Object.keys(m).length <= 500, 'at most 500 models')
              .default({}),
            defaultPrice: priceIn.nullable().default(null),
          }),
          response: { 200: budgetOut },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { models, defaultPrice } = request.body;
        await setBudgetPrices({
          store: request.server.runtime.store,
          orgBudgets: ctx.orgBudgets,
          org: p.org,
          actor: p.actor,
          models: Object.fromEntries(Object.entries(models).map(([k, v]) => [k, microPrice(v)])),
          defaultPrice: defaultPrice ? microPrice(defaultPrice) : null,
        });
        return view(request);
      },
    );
    app.post(
      '/api/budget/anomalies/ack',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['budget'],
          summary: "Acknowledge the open provider anomalies, so the org's calls are accepted again",
          security: bearer,
          body: z.strictObject({ note: z.string().max(500).optional() }).default({}),
          response: { 200: budgetOut.extend({ acknowledged: z.number().int() }) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const acknowledged = await acknowledgeAnomalies({
          store: request.server.runtime.store,
          orgBudgets: ctx.orgBudgets,
          org: p.org,
          actor: p.actor,
          ...(request.body.note ? { note: request.body.note } : {}),
        });
        return { ...(await view(request)), acknowledged };
      },
    );
  };
}

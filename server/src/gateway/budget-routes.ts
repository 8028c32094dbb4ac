import {
  anomaliesAckBody,
  anomaliesAcked,
  type BudgetView,
  budgetCapBody,
  budgetPricesBody,
  budgetView,
  type ModelPriceUsd,
} from '@proofpane/api';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import {
  acknowledgeAnomalies,
  type BudgetView as LedgerView,
  type ModelPrice,
  microsToUsd,
  setBudgetCap,
  setBudgetPrices,
  usdPerMTokToMicros,
  viewBudget,
  withCacheRates,
} from './commands.js';
import type { GatewayContext } from './context.js';

const bearer = [{ bearer: [] }];
// Cache rates appear only where the org set them, in both directions.
const usdPrice = (p: ModelPrice): ModelPriceUsd => ({
  inputUsdPerMTok: microsToUsd(p.inputMicrosPerMTok),
  outputUsdPerMTok: microsToUsd(p.outputMicrosPerMTok),
  ...(p.cacheReadMicrosPerMTok !== undefined
    ? { cacheReadUsdPerMTok: microsToUsd(p.cacheReadMicrosPerMTok) }
    : {}),
  ...(p.cacheWrite5mMicrosPerMTok !== undefined
    ? { cacheWrite5mUsdPerMTok: microsToUsd(p.cacheWrite5mMicrosPerMTok) }
    : {}),
  ...(p.cacheWrite1hMicrosPerMTok !== undefined
    ? { cacheWrite1hUsdPerMTok: microsToUsd(p.cacheWrite1hMicrosPerMTok) }
    : {}),
});
const micros = (usd: number | undefined) => (usd === undefined ? undefined : usdPerMTokToMicros(usd));
const microPrice = (p: ModelPriceUsd): ModelPrice =>
  withCacheRates(
    {
      inputMicrosPerMTok: usdPerMTokToMicros(p.inputUsdPerMTok),
      outputMicrosPerMTok: usdPerMTokToMicros(p.outputUsdPerMTok),
    },
    {
      read: micros(p.cacheReadUsdPerMTok),
      write5m: micros(p.cacheWrite5mUsdPerMTok),
      write1h: micros(p.cacheWrite1hUsdPerMTok),
    },
  );

const render = (v: LedgerView): BudgetView => ({
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
          response: { 200: budgetView },
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
          body: budgetCapBody,
          response: { 200: budgetView },
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
          body: budgetPricesBody,
          response: { 200: budgetView },
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
          body: anomaliesAckBody,
          response: { 200: anomaliesAcked },
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

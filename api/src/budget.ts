import { z } from 'zod';

/**
 * An org's own price for a model, in USD per million tokens. The prompt-cache rates are optional: a
 * cached token without its rate costs plain input (a one-hour write without one, a five-minute write).
 */
export const modelPriceUsd = z.object({
  inputUsdPerMTok: z.number(),
  outputUsdPerMTok: z.number(),
  cacheReadUsdPerMTok: z.number().optional(),
  cacheWrite5mUsdPerMTok: z.number().optional(),
  cacheWrite1hUsdPerMTok: z.number().optional(),
});
export type ModelPriceUsd = z.infer<typeof modelPriceUsd>;

/** `GET /api/budget` and the routes that change it: this month in USD, the cap, the forecast and prices. */
export const budgetView = z.object({
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
  prices: z.object({ models: z.record(z.string(), modelPriceUsd), defaultPrice: modelPriceUsd.nullable() }),
});
export type BudgetView = z.infer<typeof budgetView>;

export const budgetCapBody = z.object({ monthlyUsdCap: z.number().nonnegative().max(1e9).nullable() });
export type BudgetCapBody = z.input<typeof budgetCapBody>;

const rate = z.number().nonnegative().max(1e6);
const priceIn = z
  .strictObject({
    inputUsdPerMTok: rate,
    outputUsdPerMTok: rate,
    cacheReadUsdPerMTok: rate.optional(),
    cacheWrite5mUsdPerMTok: rate.optional(),
    cacheWrite1hUsdPerMTok: rate.optional(),
  })
  // Every vendor bills an hour's cache write at least as much as five minutes'; a lower one is a typo.
  .refine(
    (p) =>
      p.cacheWrite1hUsdPerMTok === undefined ||
      p.cacheWrite1hUsdPerMTok >= (p.cacheWrite5mUsdPerMTok ?? p.inputUsdPerMTok),
    {
      message: 'cacheWrite1hUsdPerMTok must be at least cacheWrite5mUsdPerMTok (or inputUsdPerMTok)',
      path: ['cacheWrite1hUsdPerMTok'],
    },
  );

/** `PUT /api/budget/prices` replaces the whole set. */
export const budgetPricesBody = z.strictObject({
  models: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*\/\S{1,250}$/, 'a "provider/model" key'), priceIn)
    .refine((m) => Object.keys(m).length <= 500, 'at most 500 models')
    .default({}),
  defaultPrice: priceIn.nullable().default(null),
});
export type BudgetPricesBody = z.input<typeof budgetPricesBody>;

export const anomaliesAckBody = z.strictObject({ note: z.string().max(500).optional() }).default({});
/** `POST /api/budget/anomalies/ack`: the budget, and how many anomalies this acknowledged. */
export const anomaliesAcked = budgetView.extend({ acknowledged: z.number().int() });
export type AnomaliesAcked = z.infer<typeof anomaliesAcked>;

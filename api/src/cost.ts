import { z } from 'zod';
import { COST_DIMENSIONS } from './vocabulary.js';

export { COST_DIMENSIONS };

export const costDimension = z.enum(COST_DIMENSIONS);
export type CostDimension = z.infer<typeof costDimension>;

/** A call that cost far more than the model's recent average. */
export const costAnomaly = z.object({
  seq: z.number().int(),
  time: z.string(),
  subject: z.string(),
  model: z.string(),
  costMicros: z.number(),
  averageMicros: z.number(),
  factor: z.number(),
});
export type CostAnomaly = z.infer<typeof costAnomaly>;

/** `GET /api/cost/summary`, in integer micro-dollars. */
export const costSummary = z.object({
  month: z.string(),
  monthToDateMicros: z.number(),
  calls: z.number().int(),
  tokens: z.number(),
  capMicros: z.number().nullable(),
  reservedMicros: z.number(),
  forecasts: z.object({
    /** Month to date divided by the days elapsed (today included), times the days in the month. */
    linearMonthEndMicros: z.number(),
    /** Month to date plus the last 7 days' daily average for each remaining day. */
    rolling7DayMonthEndMicros: z.number(),
    /** The higher of the two, plus 10 %. */
    worstCaseMicros: z.number(),
  }),
  anomalies: z.array(costAnomaly),
});
export type CostSummary = z.infer<typeof costSummary>;

export const costDailyQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) });
export type CostDailyQuery = z.input<typeof costDailyQuery>;
export const costDay = z.object({
  day: z.string(),
  costMicros: z.number(),
  calls: z.number().int(),
  tokens: z.number(),
});
export type CostDay = z.infer<typeof costDay>;
/** `GET /api/cost/daily`: one entry per UTC day, oldest first, zeros included. */
export const costDaily = z.object({ days: z.array(costDay) });
export type CostDaily = z.infer<typeof costDaily>;

export const costTopQuery = z.strictObject({
  by: costDimension.describe(COST_DIMENSIONS.join(' | ')),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export type CostTopQuery = z.input<typeof costTopQuery>;
export const costTopEntry = z.object({
  key: z.string(),
  /** The user's email or the API key's name, when the key is one; absent for models and agents. */
  label: z.string().optional(),
  /** A model without a price: its calls were counted at $0, so its cost says nothing. */
  unpriced: z.boolean().optional(),
  costMicros: z.number(),
  calls: z.number().int(),
  tokens: z.number(),
});
export type CostTopEntry = z.infer<typeof costTopEntry>;
/** `GET /api/cost/top`: this month's highest spenders along one dimension. */
export const costTop = z.object({ by: costDimension, month: z.string(), entries: z.array(costTopEntry) });
export type CostTop = z.infer<typeof costTop>;

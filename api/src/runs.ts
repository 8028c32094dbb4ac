import { z } from 'zod';
import { RUN_KINDS, RUN_STATUSES, RUN_STREAM_EVENT, RUN_WINDOWS } from './vocabulary.js';

export { RUN_KINDS, RUN_STATUSES, RUN_STREAM_EVENT, RUN_WINDOWS };

export type RunKind = (typeof RUN_KINDS)[number];

export const runStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatus>;

export type RunWindow = (typeof RUN_WINDOWS)[number];

/** A run's subtree, itself included. */
export const runRollup = z.object({
  count: z.number().int(),
  costMicros: z.number(),
  tokens: z.number(),
  /** From the earliest start to the latest end; null while any run of the subtree is going. */
  durationMs: z.number().nullable(),
  worstStatus: runStatus,
});
export type RunRollup = z.infer<typeof runRollup>;

/** A run as `GET /api/runs` lists it, with its subtree's rollup. */
export const runSummary = z.object({
  id: z.string(),
  parentRunId: z.string().nullable(),
  /** Null for a run whose `cp.run.started` the log does not hold. */
  kind: z.string().nullable(),
  name: z.string().nullable(),
  status: runStatus,
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  events: z.number().int(),
  costMicros: z.number(),
  tokens: z.number(),
  rollup: runRollup,
});
export type RunSummary = z.infer<typeof runSummary>;

export interface RunNode extends RunSummary {
  children: RunNode[];
}

/** A run and every run under it, nested. */
export const runNode: z.ZodType<RunNode> = runSummary.extend({
  get children() {
    return z.array(runNode);
  },
});

export const runListQuery = z.strictObject({
  window: z.enum(RUN_WINDOWS).default('24h'),
  kind: z.string().min(1).max(60).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type RunListQuery = z.input<typeof runListQuery>;

export const runParams = z.strictObject({ id: z.string().min(1).max(200) });

/** `GET /api/runs`. */
export const runList = z.object({ runs: z.array(runSummary) });
export type RunList = z.infer<typeof runList>;

/** `GET /api/runs/:id/tree`, and each `tree` message of its stream. */
export const runTree = z.object({ run: runNode });
export type RunTree = z.infer<typeof runTree>;

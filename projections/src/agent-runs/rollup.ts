export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** From worst to best: a failure anywhere below a run is what its rollup shows first. */
const severity: Record<RunStatus, number> = { failed: 3, cancelled: 2, running: 1, succeeded: 0 };

export const worstStatus = (a: RunStatus, b: RunStatus): RunStatus => (severity[b] > severity[a] ? b : a);

export interface RunRollup {
  /** Runs in the subtree, the run itself included. */
  count: number;
  costMicros: number;
  tokens: number;
  /** From the earliest start to the latest end in the subtree; null while any of it runs. */
  durationMs: number | null;
  worstStatus: RunStatus;
}

export interface RollupInput {
  status: RunStatus;
  startedAt: string | null;
  completedAt: string | null;
  costMicros: number;
  tokens: number;
}

export function rollupOf(runs: readonly RollupInput[]): RunRollup {
  let worst: RunStatus = 'succeeded';
  let costMicros = 0;
  let tokens = 0;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let open = false;
  for (const run of runs) {
    worst = worstStatus(worst, run.status);
    costMicros += run.costMicros;
    tokens += run.tokens;
    if (run.startedAt === null || run.completedAt === null) open = true;
    else {
      start = Math.min(start, Date.parse(run.startedAt));
      end = Math.max(end, Date.parse(run.completedAt));
    }
  }
  return {
    count: runs.length,
    costMicros,
    tokens,
    durationMs: open || runs.length === 0 ? null : end - start,
    worstStatus: worst,
  };
}

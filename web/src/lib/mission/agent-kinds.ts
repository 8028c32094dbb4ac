import type { RunStatus, RunSummary } from '@proofpane/api';

/** One line of Mission Control's agents view: a run kind's runs in the window, by status, and their cost. */
export interface KindRow {
  kind: string;
  total: number;
  byStatus: Record<RunStatus, number>;
  /** Each top-level run's subtree cost, summed (children are not counted twice). */
  costMicros: number;
  /** The newest running run of this kind, to link to. */
  latestRunning: RunSummary | null;
}

/** Groups top-level runs by kind, busiest (most running, then most runs) first. */
export function groupByKind(runs: readonly RunSummary[]): KindRow[] {
  const rows = new Map<string, KindRow>();
  for (const run of runs) {
    const kind = run.kind ?? 'unknown';
    const row = rows.get(kind) ?? {
      kind,
      total: 0,
      byStatus: { running: 0, succeeded: 0, failed: 0, cancelled: 0 },
      costMicros: 0,
      latestRunning: null,
    };
    row.total += 1;
    row.byStatus[run.status] += 1;
    row.costMicros += run.rollup.costMicros;
    if (
      run.status === 'running' &&
      (!row.latestRunning || (run.startedAt ?? '') > (row.latestRunning.startedAt ?? ''))
    )
      row.latestRunning = run;
    rows.set(kind, row);
  }
  return [...rows.values()].sort(
    (a, b) => b.byStatus.running - a.byStatus.running || b.total - a.total || a.kind.localeCompare(b.kind),
  );
}

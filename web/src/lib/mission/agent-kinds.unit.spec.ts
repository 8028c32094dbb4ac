import type { RunSummary } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { groupByKind } from './agent-kinds';

const run = (
  id: string,
  kind: string | null,
  status: RunSummary['status'],
  costMicros: number,
): RunSummary => ({
  id,
  parentRunId: null,
  kind,
  name: id,
  status,
  error: null,
  startedAt: `2026-03-15T10:00:0${id.length}Z`,
  completedAt: null,
  durationMs: null,
  events: 1,
  costMicros: 0,
  tokens: 0,
  rollup: { count: 1, costMicros, tokens: 0, durationMs: null, worstStatus: status },
});

describe('the agents view', () => {
  it('groups runs by kind with counts per status and subtree cost, running kinds first', () => {
    const rows = groupByKind([
      run('a', 'skill', 'succeeded', 10),
      run('b', 'workflow', 'running', 5),
      run('c', 'skill', 'failed', 7),
      run('dd', 'workflow', 'running', 1),
      run('e', null, 'cancelled', 0),
    ]);
    expect(
      rows.map((r) => [r.kind, r.total, r.byStatus.running, r.costMicros, r.latestRunning?.id ?? null]),
    ).toEqual([
      ['workflow', 2, 2, 6, 'dd'],
      ['skill', 2, 0, 17, null],
      ['unknown', 1, 0, 0, null],
    ]);
    expect(rows[1]!.byStatus).toEqual({ running: 0, succeeded: 1, failed: 1, cancelled: 0 });
  });
});

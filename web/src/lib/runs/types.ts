export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A run as `/api/runs` lists it, with its subtree's rollup. */
export interface RunSummary {
  id: string;
  parentRunId: string | null;
  kind: string | null;
  name: string | null;
  status: RunStatus;
  error: string | null;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  events: number;
  costMicros: number;
  tokens: number;
  rollup: {
    count: number;
    costMicros: number;
    tokens: number;
    durationMs: number | null;
    worstStatus: RunStatus;
  };
}

export interface RunNode extends RunSummary {
  children: RunNode[];
}

export const RUN_KINDS = [
  'workflow',
  'remediation',
  'multi-agent',
  'cross-vendor',
  'gateway-session',
  'skill',
] as const;

export const statusTone = (status: RunStatus) =>
  status === 'succeeded' ? 'ok' : status === 'running' ? 'warn' : 'bad';

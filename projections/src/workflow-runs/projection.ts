import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { count, isoTime, optionalText, text } from '../runner/fields.js';
import { type Projection, ProjectionError } from '../runner/projection.js';

interface RunRow {
  org: string;
  runId: string;
  workflowId: string;
  version: number;
  name: string | null;
  triggerKind: string;
  phase: 'running' | 'succeeded' | 'failed' | 'cancelled';
  error: string | null;
  steps: Record<string, string>;
  costMicros: number;
  startedAt: string;
  endedAt: string | null;
  updatedAt: string;
  deadline: string;
  leaseHolder: string | null;
  leaseExpiresAt: string | null;
  woken: boolean;
}

const STEP_STATUS: Record<string, string> = {
  'cp.workflow.step.scheduled': 'scheduled',
  'cp.workflow.step.started': 'running',
  'cp.workflow.step.waiting': 'waiting',
  'cp.workflow.step.completed': 'completed',
  'cp.workflow.step.failed': 'failed',
  'cp.workflow.step.retried': 'scheduled',
};

const HANDLES = [
  'cp.run.started',
  'cp.run.completed',
  'cp.workflow.run.started',
  'cp.workflow.run.leased',
  'cp.workflow.run.released',
  ...Object.keys(STEP_STATUS),
  'cp.hitl.resolved',
  'cp.hitl.expired',
] as const;

const keyOf = (org: string, runId: string) => `${org}\n${runId}`;
const runOf = (event: EventEnvelope) => (event.subject.startsWith('run/') ? event.subject.slice(4) : null);
const isHitlDecision = (event: EventEnvelope) =>
  event.type === 'cp.hitl.resolved' || event.type === 'cp.hitl.expired';

/** `waiting` while every step still in progress waits for a person; the run's phase otherwise. */
export function workflowRunStatus(row: Pick<RunRow, 'phase' | 'steps'>): string {
  if (row.phase !== 'running') return row.phase;
  const open = Object.values(row.steps).filter((s) => s !== 'completed' && s !== 'failed');
  return open.length > 0 && open.every((s) => s === 'waiting') ? 'waiting' : 'running';
}

interface StoredRow {
  org: string;
  run_id: string;
  workflow_id: string;
  version: number;
  name: string | null;
  trigger_kind: string;
  status: string;
  error: string | null;
  steps: Record<string, string> | string;
  cost_micros: string;
  started_at: Date | string;
  ended_at: Date | string | null;
  updated_at: Date | string;
  deadline: Date | string;
  lease_holder: string | null;
  lease_expires_at: Date | string | null;
  woken: boolean;
}

const isoOf = (value: Date | string) => new Date(value).toISOString();

function fromStored(row: StoredRow): RunRow {
  return {
    org: row.org,
    runId: row.run_id,
    workflowId: row.workflow_id,
    version: row.version,
    name: row.name,
    triggerKind: row.trigger_kind,
    phase: row.status === 'waiting' ? 'running' : (row.status as RunRow['phase']),
    error: row.error,
    steps: typeof row.steps === 'string' ? (JSON.parse(row.steps) as Record<string, string>) : row.steps,
    costMicros: Number(row.cost_micros),
    startedAt: isoOf(row.started_at),
    endedAt: row.ended_at === null ? null : isoOf(row.ended_at),
    updatedAt: isoOf(row.updated_at),
    deadline: isoOf(row.deadline),
    leaseHolder: row.lease_holder,
    leaseExpiresAt: row.lease_expires_at === null ? null : isoOf(row.lease_expires_at),
    woken: row.woken,
  };
}

async function loadRows(tx: Kysely<unknown>, keys: { org: string; runId: string }[]): Promise<StoredRow[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<StoredRow>`
    SELECT w.* FROM workflow_runs w
    JOIN unnest(${keys.map((k) => k.org)}::text[], ${keys.map((k) => k.runId)}::text[]) AS k(org, run_id)
      ON w.org = k.org AND w.run_id = k.run_id`.execute(tx);
  return rows;
}

async function waitsFor(tx: Kysely<unknown>, requests: { org: string; requestId: string }[]) {
  if (requests.length === 0) return [];
  const { rows } = await sql<{ org: string; request_id: string; run_id: string }>`
    SELECT w.org, w.request_id, w.run_id FROM workflow_run_waits w
    JOIN unnest(${requests.map((r) => r.org)}::text[], ${requests.map((r) => r.requestId)}::text[]) AS k(org, request_id)
      ON w.org = k.org AND w.request_id = k.request_id`.execute(tx);
  return rows;
}

/** Names from `cp.run.started`, which comes just before the run's `cp.workflow.run.started`. */
type Names = Map<string, string | null>;

function fold(
  rows: Map<string, RunRow>,
  names: Names,
  waits: Map<string, string>,
  newWaits: string[][],
  event: EventEnvelope,
) {
  const data = event.data as Record<string, unknown>;
  const time = isoTime(event.time);
  if (isHitlDecision(event)) {
    const runId = waits.get(keyOf(event.org, text(data, 'requestId')));
    const row = runId ? rows.get(keyOf(event.org, runId)) : undefined;
    if (row && row.phase === 'running') row.woken = true;
    return;
  }
  const runId = runOf(event);
  if (!runId) return;
  const key = keyOf(event.org, runId);
  if (event.type === 'cp.run.started') names.set(key, optionalText(data, 'name'));
  if (event.type === 'cp.workflow.run.started') {
    const trigger = data.trigger as Record<string, unknown> | undefined;
    rows.set(key, {
      org: event.org,
      runId,
      workflowId: text(data, 'workflowId'),
      version: count(data, 'version'),
      name: names.get(key) ?? null,
      triggerKind: trigger ? text(trigger, 'kind') : 'manual',
      phase: 'running',
      error: null,
      steps: {},
      costMicros: 0,
      startedAt: time,
      endedAt: null,
      updatedAt: time,
      deadline: isoTime(text(data, 'deadline')),
      leaseHolder: null,
      leaseExpiresAt: null,
      woken: false,
    });
    return;
  }
  const row = rows.get(key);
  if (!row) return;
  row.updatedAt = time;
  switch (event.type) {
    case 'cp.run.started':
      return;
    case 'cp.run.completed':
      row.phase = text(data, 'status') as RunRow['phase'];
      row.error = optionalText(data, 'error');
      row.endedAt = time;
      row.leaseHolder = null;
      row.leaseExpiresAt = null;
      return;
    case 'cp.workflow.run.leased':
      row.leaseHolder = text(data, 'holder');
      row.leaseExpiresAt = isoTime(text(data, 'expiresAt'));
      row.woken = false;
      return;
    case 'cp.workflow.run.released':
      row.leaseHolder = null;
      row.leaseExpiresAt = null;
      return;
  }
  const status = STEP_STATUS[event.type];
  if (!status) throw new ProjectionError(`${event.type} is not a workflow run event`);
  row.steps = { ...row.steps, [text(data, 'nodeId')]: status };
  if (typeof data.costMicros === 'number') row.costMicros += count(data, 'costMicros');
  if (event.type === 'cp.workflow.step.waiting') {
    const requestId = text(data, 'hitlRequestId');
    waits.set(keyOf(event.org, requestId), runId);
    newWaits.push([event.org, requestId, runId]);
  }
}

async function write(tx: Kysely<unknown>, rows: RunRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: RunRow) => T) => rows.map(pick);
  await sql`
    INSERT INTO workflow_runs AS w (org, run_id, workflow_id, version, name, trigger_kind, status, error, steps,
      steps_completed, cost_micros, started_at, ended_at, updated_at, deadline, lease_holder, lease_expires_at, woken)
    SELECT k.org, k.run_id, k.workflow_id, k.version, k.name, k.trigger_kind, k.status, k.error, k.steps::jsonb,
      k.steps_completed, k.cost_micros, k.started_at, k.ended_at, k.updated_at, k.deadline, k.lease_holder,
      k.lease_expires_at, k.woken
    FROM unnest(${col((r) => r.org)}::text[], ${col((r) => r.runId)}::text[], ${col((r) => r.workflowId)}::text[],
      ${col((r) => r.version)}::int[], ${col((r) => r.name)}::text[], ${col((r) => r.triggerKind)}::text[],
      ${col(workflowRunStatus)}::text[], ${col((r) => r.error)}::text[], ${col((r) => JSON.stringify(r.steps))}::text[],
      ${col((r) => Object.values(r.steps).filter((s) => s === 'completed').length)}::int[],
      ${col((r) => r.costMicros)}::bigint[], ${col((r) => r.startedAt)}::timestamptz[],
      ${col((r) => r.endedAt)}::timestamptz[], ${col((r) => r.updatedAt)}::timestamptz[],
      ${col((r) => r.deadline)}::timestamptz[], ${col((r) => r.leaseHolder)}::text[],
      ${col((r) => r.leaseExpiresAt)}::timestamptz[], ${col((r) => r.woken)}::boolean[])
      AS k(org, run_id, workflow_id, version, name, trigger_kind, status, error, steps, steps_completed, cost_micros,
        started_at, ended_at, updated_at, deadline, lease_holder, lease_expires_at, woken)
    ON CONFLICT (org, run_id) DO UPDATE SET
      name = excluded.name, status = excluded.status, error = excluded.error, steps = excluded.steps,
      steps_completed = excluded.steps_completed, cost_micros = excluded.cost_micros, ended_at = excluded.ended_at,
      updated_at = excluded.updated_at, lease_holder = excluded.lease_holder,
      lease_expires_at = excluded.lease_expires_at, woken = excluded.woken`.execute(tx);
}

/**
 * Workflow runs for the run list and for workers looking for runs to resume: folded from the runs' own
 * events, and from HITL decisions on the requests a run waits on (which wake it).
 */
export const workflowRunsProjection: Projection = {
  name: 'workflow-runs',
  version: 1,
  handles: HANDLES,
  tables: ['workflow_runs', 'workflow_run_waits'],
  affects: (event) => isHitlDecision(event) || runOf(event) !== null,
  async apply({ tx, events }) {
    const keys = new Map<string, { org: string; runId: string }>();
    const requests: { org: string; requestId: string }[] = [];
    for (const { event } of events) {
      const runId = runOf(event);
      if (runId && event.type !== 'cp.workflow.run.started')
        keys.set(keyOf(event.org, runId), { org: event.org, runId });
      const requestId = (event.data as { requestId?: unknown }).requestId;
      if (isHitlDecision(event) && typeof requestId === 'string')
        requests.push({ org: event.org, requestId });
    }
    const waits = new Map<string, string>();
    for (const w of await waitsFor(tx, requests)) {
      waits.set(keyOf(w.org, w.request_id), w.run_id);
      keys.set(keyOf(w.org, w.run_id), { org: w.org, runId: w.run_id });
    }
    const rows = new Map<string, RunRow>();
    for (const stored of await loadRows(tx, [...keys.values()]))
      rows.set(keyOf(stored.org, stored.run_id), fromStored(stored));
    const newWaits: string[][] = [];
    const names: Names = new Map();
    const touched = new Set<string>();
    for (const { event } of events) {
      fold(rows, names, waits, newWaits, event);
      const runId =
        runOf(event) ??
        waits.get(keyOf(event.org, String((event.data as { requestId?: unknown }).requestId)));
      if (runId && rows.has(keyOf(event.org, runId))) touched.add(keyOf(event.org, runId));
    }
    await write(
      tx,
      [...touched].map((key) => rows.get(key)!),
    );
    if (newWaits.length > 0)
      await sql`
        INSERT INTO workflow_run_waits (org, request_id, run_id)
        SELECT * FROM unnest(${newWaits.map((w) => w[0]!)}::text[], ${newWaits.map((w) => w[1]!)}::text[],
          ${newWaits.map((w) => w[2]!)}::text[])
        ON CONFLICT DO NOTHING`.execute(tx);
    const ended = [...touched].map((key) => rows.get(key)!).filter((row) => row.phase !== 'running');
    if (ended.length > 0)
      await sql`
        DELETE FROM workflow_run_waits w USING unnest(${ended.map((r) => r.org)}::text[], ${ended.map((r) => r.runId)}::text[])
          AS k(org, run_id) WHERE w.org = k.org AND w.run_id = k.run_id`.execute(tx);
  },
};

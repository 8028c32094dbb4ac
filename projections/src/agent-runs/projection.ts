import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { count, isoTime, optionalText, text } from '../runner/fields.js';
import { type Projection, ProjectionError } from '../runner/projection.js';

interface RunDelta {
  org: string;
  runId: string;
  parent: string | null;
  kind: string | null;
  name: string | null;
  status: string | null;
  error: string | null;
  startedAt: string | null;
  completedAt: string | null;
  events: number;
  cost: number;
  tokens: number;
}

const runOfSubject = (subject: string) => (subject.startsWith('run/') ? subject.slice(4) : null);

function deltaFor(deltas: Map<string, RunDelta>, org: string, runId: string): RunDelta {
  const key = `${org}\n${runId}`;
  let delta = deltas.get(key);
  if (!delta) {
    delta = {
      org,
      runId,
      parent: null,
      kind: null,
      name: null,
      status: null,
      error: null,
      startedAt: null,
      completedAt: null,
      events: 0,
      cost: 0,
      tokens: 0,
    };
    deltas.set(key, delta);
  }
  return delta;
}

const isRunEvent = (event: EventEnvelope) =>
  event.type === 'cp.run.started' || event.type === 'cp.run.completed';
const ownerOf = (event: EventEnvelope) => event.meta?.runId ?? runOfSubject(event.subject);

function fold(deltas: Map<string, RunDelta>, event: EventEnvelope): void {
  const data = event.data as Record<string, unknown>;
  if (isRunEvent(event)) {
    const runId = runOfSubject(event.subject);
    if (!runId) throw new ProjectionError(`${event.type} on subject ${event.subject}, not run/<id>`);
    const delta = deltaFor(deltas, event.org, runId);
    const time = isoTime(event.time);
    if (event.type === 'cp.run.started') {
      const parent = event.meta?.parentRunId;
      delta.parent = parent && parent !== runId ? parent : null;
      delta.kind = text(data, 'kind');
      delta.name = text(data, 'name');
      delta.startedAt ??= time;
    } else {
      delta.status = text(data, 'status');
      delta.error = optionalText(data, 'error');
      delta.completedAt = time;
    }
  }
  const owner = ownerOf(event);
  if (!owner) return;
  const delta = deltaFor(deltas, event.org, owner);
  delta.events += 1;
  if (event.type === 'cp.llm.call.completed') {
    delta.cost += count(data, 'costMicros');
    delta.tokens += count(data, 'inputTokens') + count(data, 'outputTokens');
  }
}

async function write(tx: Kysely<unknown>, rows: RunDelta[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof RunDelta>(key: K) => rows.map((r) => r[key]);
  await sql`
    INSERT INTO runs AS r (org, run_id, parent_run_id, kind, name, status, error, started_at, completed_at,
      events, cost_micros, tokens)
    SELECT * FROM unnest(${column('org')}::text[], ${column('runId')}::text[], ${column('parent')}::text[],
      ${column('kind')}::text[], ${column('name')}::text[], ${column('status')}::text[], ${column('error')}::text[],
      ${column('startedAt')}::timestamptz[], ${column('completedAt')}::timestamptz[], ${column('events')}::int[],
      ${column('cost')}::bigint[], ${column('tokens')}::bigint[])
    ON CONFLICT (org, run_id) DO UPDATE SET
      parent_run_id = CASE WHEN excluded.kind IS NULL THEN r.parent_run_id ELSE excluded.parent_run_id END,
      kind = COALESCE(excluded.kind, r.kind),
      name = COALESCE(excluded.name, r.name),
      status = COALESCE(excluded.status, r.status),
      error = CASE WHEN excluded.status IS NULL THEN r.error ELSE excluded.error END,
      started_at = COALESCE(r.started_at, excluded.started_at),
      completed_at = COALESCE(excluded.completed_at, r.completed_at),
      events = r.events + excluded.events,
      cost_micros = r.cost_micros + excluded.cost_micros,
      tokens = r.tokens + excluded.tokens`.execute(tx);
}

/**
 * Every kind of run in one table: nesting from `meta.parentRunId` on `cp.run.started`, status from
 * `cp.run.completed`, and each run's own events, cost and tokens from everything carrying `meta.runId`.
 */
export const agentRunsProjection: Projection = {
  name: 'agent-runs',
  version: 1,
  tables: ['runs'],
  affects: (event) => isRunEvent(event) || ownerOf(event) !== null,
  async apply({ tx, events }) {
    const deltas = new Map<string, RunDelta>();
    for (const { event } of events) fold(deltas, event);
    await write(tx, [...deltas.values()]);
  },
};

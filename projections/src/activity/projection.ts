import type { EventEnvelope } from '@proofpane/core';
import { sql } from 'kysely';
import { count, isoTime } from '../runner/fields.js';
import type { Projection } from '../runner/projection.js';

/**
 * What counts as a refusal on Mission Control: a gate said no to a call or a tool call. A HITL
 * request is not one (it waits for a person); a failed provider call is not one either (no gate
 * refused it).
 */
export const REFUSAL_TYPES = ['cp.gate.policy.decided', 'cp.gate.budget.refused', 'cp.tool.refused'] as const;

interface Bucket {
  org: string;
  minute: string;
  calls: number;
  refusals: number;
  cost: number;
}

function bucketOf(event: EventEnvelope): { calls: number; refusals: number; cost: number } | null {
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'cp.llm.call.completed':
      return { calls: 1, refusals: 0, cost: count(data, 'costMicros') };
    case 'cp.gate.policy.decided':
      return data['decision'] === 'block' ? { calls: 0, refusals: 1, cost: 0 } : null;
    case 'cp.gate.budget.refused':
    case 'cp.tool.refused':
      return { calls: 0, refusals: 1, cost: 0 };
    default:
      return null;
  }
}

/** Calls, refusals and cost per org and minute; the last hour and the last 24 h are sums over it. */
export const activityProjection: Projection = {
  name: 'activity',
  version: 1,
  handles: ['cp.llm.call.completed', ...REFUSAL_TYPES],
  tables: ['activity_minutes'],
  async apply({ tx, events }) {
    const buckets = new Map<string, Bucket>();
    for (const { event } of events) {
      const add = bucketOf(event);
      if (!add) continue;
      const minute = `${isoTime(event.time).slice(0, 16)}:00.000Z`;
      const key = `${event.org}\n${minute}`;
      const bucket = buckets.get(key) ?? { org: event.org, minute, calls: 0, refusals: 0, cost: 0 };
      bucket.calls += add.calls;
      bucket.refusals += add.refusals;
      bucket.cost += add.cost;
      buckets.set(key, bucket);
    }
    const rows = [...buckets.values()];
    if (rows.length === 0) return;
    await sql`
      INSERT INTO activity_minutes AS t (org, minute, calls, refusals, cost_micros)
      SELECT * FROM unnest(${rows.map((r) => r.org)}::text[], ${rows.map((r) => r.minute)}::timestamptz[],
        ${rows.map((r) => r.calls)}::int[], ${rows.map((r) => r.refusals)}::int[], ${rows.map((r) => r.cost)}::bigint[])
      ON CONFLICT (org, minute) DO UPDATE SET calls = t.calls + excluded.calls,
        refusals = t.refusals + excluded.refusals, cost_micros = t.cost_micros + excluded.cost_micros`.execute(
      tx,
    );
  },
};

import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { count, isoTime, optionalText, text } from '../runner/fields.js';
import type { Projection } from '../runner/projection.js';

interface Totals {
  cost: number;
  calls: number;
  tokens: number;
}

interface Anomaly {
  org: string;
  seq: number;
  time: string;
  subject: string;
  model: string;
  cost: number;
  average: number;
  factor: number;
}

/** What one batch changes, folded in memory so each table takes one statement. */
class CostDelta {
  readonly daily = new Map<string, Totals & { org: string; day: string }>();
  readonly top = new Map<string, Totals & { org: string; month: string; dimension: string; key: string }>();
  readonly caps = new Map<string, number | null>();
  readonly reservations = new Map<
    string,
    { org: string; id: string; month: string; amount: number } | null
  >();
  readonly anomalies: Anomaly[] = [];

  add(event: EventEnvelope): void {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'cp.llm.call.completed':
        this.addCall(event.org, isoTime(event.time), data);
        return;
      case 'cp.budget.cap.set': {
        const cap = data['monthlyCapMicros'];
        this.caps.set(event.org, cap === null ? null : count(data, 'monthlyCapMicros'));
        return;
      }
      case 'cp.gate.budget.reserved': {
        const id = text(data, 'reservationId');
        const month = text(data, 'month');
        this.reservations.set(`${event.org}\n${id}`, {
          org: event.org,
          id,
          month,
          amount: count(data, 'amountMicros'),
        });
        return;
      }
      case 'cp.gate.budget.settled':
      case 'cp.gate.budget.expired': {
        // Reserved and settled in the same batch: the row never needs to exist.
        const key = `${event.org}\n${text(data, 'reservationId')}`;
        if (this.reservations.get(key)) this.reservations.delete(key);
        else this.reservations.set(key, null);
        return;
      }
      case 'cp.cost.anomaly.detected': {
        const factor = data['factor'];
        this.anomalies.push({
          org: event.org,
          seq: event.seq,
          time: isoTime(event.time),
          subject: event.subject,
          model: text(data, 'model'),
          cost: count(data, 'costMicros'),
          average: count(data, 'averageMicros'),
          factor: typeof factor === 'number' ? factor : 0,
        });
        return;
      }
    }
  }

  private addCall(org: string, time: string, data: Record<string, unknown>): void {
    const cost = count(data, 'costMicros');
    const tokens = count(data, 'inputTokens') + count(data, 'outputTokens');
    const day = time.slice(0, 10);
    const month = time.slice(0, 7);
    bump(this.daily, `${org}\n${day}`, { org, day }, cost, tokens);
    const keys = {
      user: optionalText(data, 'userId'),
      apikey: optionalText(data, 'apiKeyId'),
      model: text(data, 'model'),
      agent: optionalText(data, 'agent'),
    };
    for (const [dimension, key] of Object.entries(keys)) {
      if (key)
        bump(
          this.top,
          `${org}\n${month}\n${dimension}\n${key}`,
          { org, month, dimension, key },
          cost,
          tokens,
        );
    }
  }
}

function bump<K extends object>(
  map: Map<string, Totals & K>,
  id: string,
  key: K,
  cost: number,
  tokens: number,
) {
  const totals = map.get(id);
  if (totals) {
    totals.cost += cost;
    totals.calls += 1;
    totals.tokens += tokens;
  } else map.set(id, { ...key, cost, calls: 1, tokens });
}

async function write(tx: Kysely<unknown>, delta: CostDelta): Promise<void> {
  const daily = [...delta.daily.values()];
  if (daily.length > 0) {
    await sql`
      INSERT INTO cost_daily AS t (org, day, cost_micros, calls, tokens)
      SELECT * FROM unnest(${daily.map((d) => d.org)}::text[], ${daily.map((d) => d.day)}::date[],
        ${daily.map((d) => d.cost)}::bigint[], ${daily.map((d) => d.calls)}::int[], ${daily.map((d) => d.tokens)}::bigint[])
      ON CONFLICT (org, day) DO UPDATE SET cost_micros = t.cost_micros + excluded.cost_micros,
        calls = t.calls + excluded.calls, tokens = t.tokens + excluded.tokens`.execute(tx);
  }
  const top = [...delta.top.values()];
  if (top.length > 0) {
    await sql`
      INSERT INTO cost_top AS t (org, month, dimension, key, cost_micros, calls, tokens)
      SELECT * FROM unnest(${top.map((d) => d.org)}::text[], ${top.map((d) => d.month)}::text[],
        ${top.map((d) => d.dimension)}::text[], ${top.map((d) => d.key)}::text[],
        ${top.map((d) => d.cost)}::bigint[], ${top.map((d) => d.calls)}::int[], ${top.map((d) => d.tokens)}::bigint[])
      ON CONFLICT (org, month, dimension, key) DO UPDATE SET cost_micros = t.cost_micros + excluded.cost_micros,
        calls = t.calls + excluded.calls, tokens = t.tokens + excluded.tokens`.execute(tx);
  }
  if (delta.caps.size > 0) {
    await sql`
      INSERT INTO cost_budget (org, cap_micros)
      SELECT * FROM unnest(${[...delta.caps.keys()]}::text[], ${[...delta.caps.values()]}::bigint[])
      ON CONFLICT (org) DO UPDATE SET cap_micros = excluded.cap_micros`.execute(tx);
  }
  const closed = [...delta.reservations].filter(([, r]) => r === null).map(([key]) => key.split('\n'));
  if (closed.length > 0) {
    await sql`DELETE FROM cost_reservations WHERE (org, reservation_id) IN (
      SELECT * FROM unnest(${closed.map((k) => k[0])}::text[], ${closed.map((k) => k[1])}::text[]))`.execute(
      tx,
    );
  }
  const open = [...delta.reservations.values()].filter((r) => r !== null);
  if (open.length > 0) {
    await sql`
      INSERT INTO cost_reservations (org, reservation_id, month, amount_micros)
      SELECT * FROM unnest(${open.map((r) => r.org)}::text[], ${open.map((r) => r.id)}::text[],
        ${open.map((r) => r.month)}::text[], ${open.map((r) => r.amount)}::bigint[])
      ON CONFLICT (org, reservation_id) DO UPDATE SET amount_micros = excluded.amount_micros`.execute(tx);
  }
  const anomalies = delta.anomalies;
  if (anomalies.length > 0) {
    await sql`
      INSERT INTO cost_anomalies (org, seq, time, subject, model, cost_micros, average_micros, factor)
      SELECT * FROM unnest(${anomalies.map((a) => a.org)}::text[], ${anomalies.map((a) => a.seq)}::bigint[],
        ${anomalies.map((a) => a.time)}::timestamptz[], ${anomalies.map((a) => a.subject)}::text[],
        ${anomalies.map((a) => a.model)}::text[], ${anomalies.map((a) => a.cost)}::bigint[],
        ${anomalies.map((a) => a.average)}::bigint[], ${anomalies.map((a) => a.factor)}::float8[])
      ON CONFLICT (org, seq) DO NOTHING`.execute(tx);
  }
}

/** Spend per day and per user, API key, model and agent; the cap, open reservations and anomalies. */
export const costProjection: Projection = {
  name: 'cost',
  version: 1,
  handles: [
    'cp.llm.call.completed',
    'cp.budget.cap.set',
    'cp.gate.budget.reserved',
    'cp.gate.budget.settled',
    'cp.gate.budget.expired',
    'cp.cost.anomaly.detected',
  ],
  tables: ['cost_daily', 'cost_top', 'cost_budget', 'cost_reservations', 'cost_anomalies'],
  async apply({ tx, events }) {
    const delta = new CostDelta();
    for (const { event } of events) delta.add(event);
    await write(tx, delta);
  },
};

import type { EventEnvelope } from '@proofpane/core';

/** The budget tables of one org, as folded from its events. */
export interface BudgetModel {
  capMicros: number | null;
  /** Provider anomalies not yet acknowledged. */
  openAnomalies: number;
  /** The org's own prices, as last set; null when never set. */
  prices: { models: Record<string, unknown>; defaultPrice: unknown } | null;
  /** Calls of unpriced models per month and model. */
  unpriced: Map<string, { month: string; model: string; calls: number; lastAt: string }>;
  months: Map<string, { spentMicros: number; reservedMicros: number; alerted: number }>;
  /** Slices of the cap processes held; a live one counts in its month's reserved less what it consumed. */
  leases: Map<
    string,
    {
      month: string;
      amountMicros: number;
      consumedMicros: number;
      state: 'live' | 'released' | 'expired';
      createdAt: string;
      expiresAt: string;
    }
  >;
  reservations: Map<
    string,
    {
      month: string;
      amountMicros: number;
      state: 'open' | 'settled' | 'expired';
      actualMicros: number | null;
      createdAt: string;
      settledAt: string | null;
    }
  >;
}

export const BUDGET_EVENT_TYPES = [
  'cp.budget.cap.set',
  'cp.gate.budget.reserved',
  'cp.gate.budget.settled',
  'cp.gate.budget.expired',
  'cp.budget.alert.raised',
  'cp.budget.prices.set',
  'cp.budget.lease.granted',
  'cp.budget.lease.released',
  'cp.budget.lease.expired',
  'cp.cost.provider_anomaly.detected',
  'cp.cost.provider_anomaly.acknowledged',
] as const;

export const emptyBudgetModel = (): BudgetModel => ({
  capMicros: null,
  openAnomalies: 0,
  prices: null,
  unpriced: new Map(),
  months: new Map(),
  reservations: new Map(),
  leases: new Map(),
});

const monthRow = (model: BudgetModel, month: string) => {
  let row = model.months.get(month);
  if (!row) {
    row = { spentMicros: 0, reservedMicros: 0, alerted: 0 };
    model.months.set(month, row);
  }
  return row;
};

/**
 * Applies one budget event to the model, mirroring what the ledger's statements did when it was appended.
 * Events of other types, and settle/expire events of reservations never recorded, change nothing.
 */
export function evolveBudget(model: BudgetModel, event: EventEnvelope): BudgetModel {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'cp.budget.cap.set':
      model.capMicros = (d.monthlyCapMicros as number | null) ?? null;
      break;
    case 'cp.gate.budget.reserved': {
      // A call reserved from a lease held nothing of its own in the ledger: its settlement records it.
      if (typeof d.leaseId === 'string') break;
      const amount = d.amountMicros as number;
      model.reservations.set(d.reservationId as string, {
        month: d.month as string,
        amountMicros: amount,
        state: 'open',
        actualMicros: null,
        createdAt: event.time,
        settledAt: null,
      });
      monthRow(model, d.month as string).reservedMicros += amount;
      break;
    }
    case 'cp.gate.budget.settled': {
      if (typeof d.unpricedModel === 'string') {
        const key = `${d.month as string}\u0000${d.unpricedModel}`;
        const u = model.unpriced.get(key);
        if (u) Object.assign(u, { calls: u.calls + 1, lastAt: event.time });
        else
          model.unpriced.set(key, {
            month: d.month as string,
            model: d.unpricedModel,
            calls: 1,
            lastAt: event.time,
          });
      }
      if (typeof d.leaseId === 'string') {
        if (model.reservations.has(d.reservationId as string)) break;
        const actual = d.actualMicros as number;
        model.reservations.set(d.reservationId as string, {
          month: d.month as string,
          amountMicros: d.reservedMicros as number,
          state: 'settled',
          actualMicros: actual,
          createdAt: event.time,
          settledAt: event.time,
        });
        const lease = model.leases.get(d.leaseId);
        const row = monthRow(model, lease?.month ?? (d.month as string));
        row.spentMicros += actual;
        if (lease) {
          lease.consumedMicros += actual;
          if (lease.state === 'live') row.reservedMicros -= actual;
        }
        break;
      }
      const r = model.reservations.get(d.reservationId as string);
      if (!r || r.state === 'settled') break;
      const row = monthRow(model, r.month);
      if (r.state === 'open') row.reservedMicros -= r.amountMicros;
      row.spentMicros += d.actualMicros as number;
      Object.assign(r, { state: 'settled', actualMicros: d.actualMicros as number, settledAt: event.time });
      break;
    }
    case 'cp.gate.budget.expired': {
      const r = model.reservations.get(d.reservationId as string);
      if (r?.state !== 'open') break;
      monthRow(model, r.month).reservedMicros -= r.amountMicros;
      r.state = 'expired';
      break;
    }
    case 'cp.budget.lease.granted':
      model.leases.set(d.leaseId as string, {
        month: d.month as string,
        amountMicros: d.amountMicros as number,
        consumedMicros: 0,
        state: 'live',
        createdAt: event.time,
        expiresAt: d.expiresAt as string,
      });
      monthRow(model, d.month as string).reservedMicros += d.amountMicros as number;
      break;
    case 'cp.budget.lease.released':
    case 'cp.budget.lease.expired': {
      const lease = model.leases.get(d.leaseId as string);
      if (lease?.state !== 'live') break;
      monthRow(model, lease.month).reservedMicros -= Math.max(0, lease.amountMicros - lease.consumedMicros);
      lease.state = event.type === 'cp.budget.lease.released' ? 'released' : 'expired';
      break;
    }
    case 'cp.budget.prices.set':
      model.prices = { models: d.models as Record<string, unknown>, defaultPrice: d.defaultPrice ?? null };
      break;
    case 'cp.cost.provider_anomaly.detected':
      model.openAnomalies += 1;
      break;
    case 'cp.cost.provider_anomaly.acknowledged':
      model.openAnomalies = Math.max(0, model.openAnomalies - (d.acknowledged as number));
      break;
    case 'cp.budget.alert.raised': {
      const row = monthRow(model, d.month as string);
      row.alerted = Math.max(row.alerted, d.threshold as number);
      break;
    }
    default:
      break;
  }
  return model;
}

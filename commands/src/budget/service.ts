import type { Actor, EventStore } from '@proofpane/core';
import { forecastMonthEnd, type ModelPrice, type MonthForecast } from '../cost/index.js';
import type { BudgetLedger } from './ledger.js';
import type { OrgBudget, OrgBudgets } from './org-budget.js';
import { monthOf } from './thresholds.js';

export interface BudgetView {
  month: string;
  capMicros: number | null;
  spentMicros: number;
  reservedMicros: number;
  forecast: MonthForecast;
  /** Provider anomalies not yet acknowledged; while any is open the org's calls are refused. */
  openAnomalies: number;
  /** Models called this month that no price covered (they cost 0 and no cap limited them). */
  unpricedModels: { model: string; calls: number }[];
  models: OrgBudget['models'];
  defaultPrice: ModelPrice | null;
}

/**
 * Sets the org's monthly cap (null: no cap). The cap row is derived from the event as it is appended
 * (see `budget_apply_events`), so the two commit together.
 */
export async function setBudgetCap(options: {
  store: EventStore;
  orgBudgets?: OrgBudgets;
  org: string;
  actor: Actor;
  capMicros: number | null;
}): Promise<void> {
  const { store, org, actor, capMicros } = options;
  await store.append({
    org,
    events: [
      { type: 'cp.budget.cap.set', subject: 'budget/cap', actor, data: { monthlyCapMicros: capMicros } },
    ],
  });
  options.orgBudgets?.forget(org);
}

/** Replaces the org's own prices (per `provider/model`, and a default for every other model). */
export async function setBudgetPrices(options: {
  store: EventStore;
  orgBudgets?: OrgBudgets;
  org: string;
  actor: Actor;
  models: Record<string, ModelPrice>;
  defaultPrice: ModelPrice | null;
}): Promise<void> {
  const { store, org, actor, models, defaultPrice } = options;
  await store.append({
    org,
    events: [
      { type: 'cp.budget.prices.set', subject: 'budget/prices', actor, data: { models, defaultPrice } },
    ],
  });
  options.orgBudgets?.forget(org);
}

/**
 * Acknowledges the org's open provider anomalies, so its calls are accepted again. Returns how many it
 * acknowledged (0, and nothing appended, when none was open).
 */
export async function acknowledgeAnomalies(options: {
  store: EventStore;
  orgBudgets: OrgBudgets;
  org: string;
  actor: Actor;
  note?: string;
}): Promise<number> {
  const { store, orgBudgets, org, actor } = options;
  orgBudgets.forget(org);
  const open = (await orgBudgets.get(org)).openAnomalies;
  if (open === 0) return 0;
  await store.append({
    org,
    events: [
      {
        type: 'cp.cost.provider_anomaly.acknowledged',
        subject: 'budget/anomalies',
        actor,
        data: { acknowledged: open, ...(options.note ? { note: options.note.slice(0, 500) } : {}) },
      },
    ],
  });
  orgBudgets.forget(org);
  return open;
}

/** This month's figures, the month-end forecast (linear, rolling 7-day, worst case + 10%) and prices. */
export async function viewBudget(options: {
  ledger: BudgetLedger;
  orgBudgets: OrgBudgets;
  org: string;
  now: Date;
}): Promise<BudgetView> {
  const { ledger, orgBudgets, org, now } = options;
  orgBudgets.forget(org);
  const [figures, last7DaysMicros, settings, unpricedModels] = await Promise.all([
    ledger.figures({ org, now }),
    ledger.lastSevenDaysMicros({ org, now }),
    orgBudgets.get(org),
    ledger.unpricedModels({ org, month: monthOf(now) }),
  ]);
  return {
    ...figures,
    forecast: forecastMonthEnd({ spentMicros: figures.spentMicros, last7DaysMicros, now }),
    openAnomalies: settings.openAnomalies,
    unpricedModels,
    models: settings.models,
    defaultPrice: settings.defaultPrice,
  };
}

/**
 * Releases leases whose holder died (`cp.budget.lease.expired` on the lease's subject) and reservations whose
 * call died (the process stopped, the client vanished before settling) by appending `cp.gate.budget.expired`
 * for each, on the call's subject; the release itself follows from the
 * event as it is appended, so a reservation settled meanwhile is left as settled.
 */
export async function expireReservations(options: {
  store: EventStore;
  ledger: BudgetLedger;
  now: Date;
}): Promise<number> {
  const leases = await options.ledger.dueLeases({ now: options.now });
  for (const lease of leases) {
    await options.store.append({
      org: lease.org,
      events: [
        {
          type: 'cp.budget.lease.expired',
          subject: `budget/lease/${lease.id}`,
          actor: { kind: 'system', id: 'budget-sweeper' },
          data: { month: lease.month, leaseId: lease.id, amountMicros: lease.amountMicros },
        },
      ],
    });
  }
  const due = await options.ledger.due({ now: options.now });
  const byOrg = new Map<string, typeof due>();
  for (const r of due) byOrg.set(r.org, [...(byOrg.get(r.org) ?? []), r]);
  for (const [org, list] of byOrg) {
    await options.store.append({
      org,
      events: list.map((r) => ({
        type: 'cp.gate.budget.expired',
        subject: `call/${r.id}`,
        actor: { kind: 'system', id: 'budget-sweeper' },
        data: { month: r.month, reservationId: r.id, reservedMicros: r.amountMicros },
      })),
    });
  }
  return due.length + leases.length;
}

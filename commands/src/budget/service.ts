import type { Actor, EventStore } from '@proofpane/core';
import { forecastMonthEnd, type MonthForecast } from '../cost/index.js';
import type { BudgetLedger } from './ledger.js';

export interface BudgetView {
  month: string;
  capMicros: number | null;
  spentMicros: number;
  reservedMicros: number;
  forecast: MonthForecast;
}

/** Sets the org's monthly cap (null: no cap): the event first, then the inline table. */
export async function setBudgetCap(options: {
  store: EventStore;
  ledger: BudgetLedger;
  org: string;
  actor: Actor;
  capMicros: number | null;
  now: Date;
}): Promise<void> {
  const { store, ledger, org, actor, capMicros, now } = options;
  await store.append({
    org,
    events: [
      { type: 'cp.budget.cap.set', subject: 'budget/cap', actor, data: { monthlyCapMicros: capMicros } },
    ],
  });
  await ledger.setCap({ org, capMicros, now });
}

/** This month's figures and the month-end forecast (linear, rolling 7-day, worst case + 10%). */
export async function viewBudget(options: {
  ledger: BudgetLedger;
  org: string;
  now: Date;
}): Promise<BudgetView> {
  const { ledger, org, now } = options;
  const [figures, last7DaysMicros] = await Promise.all([
    ledger.figures({ org, now }),
    ledger.lastSevenDaysMicros({ org, now }),
  ]);
  return {
    ...figures,
    forecast: forecastMonthEnd({ spentMicros: figures.spentMicros, last7DaysMicros, now }),
  };
}

/**
 * Releases reservations whose call died (the process stopped, the client vanished before settling) and
 * appends `cp.gate.budget.expired` for each, on the call's subject.
 */
export async function expireReservations(options: {
  store: EventStore;
  ledger: BudgetLedger;
  now: Date;
}): Promise<number> {
  const expired = await options.ledger.expire({ now: options.now });
  const byOrg = new Map<string, typeof expired>();
  for (const r of expired) byOrg.set(r.org, [...(byOrg.get(r.org) ?? []), r]);
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
  return expired.length;
}

import type { BudgetLedger, ReserveOutcome, SettleOutcome } from './ledger.js';
import { monthOf, newlyCrossed } from './thresholds.js';

export type ReserveInput = Parameters<BudgetLedger['reserve']>[0];
export type SettleInput = Parameters<BudgetLedger['settle']>[0];
export type Outcome = ReserveOutcome | SettleOutcome | null;

export type Pending =
  | { kind: 'reserve'; input: ReserveInput; resolve(outcome: ReserveOutcome): void; reject(e: unknown): void }
  | {
      kind: 'settle';
      input: SettleInput;
      resolve(outcome: SettleOutcome | null): void;
      reject(e: unknown): void;
    };

export interface MonthFigures {
  spent: number;
  reserved: number;
  alerted: number;
}

/** A reservation the batch settles, as it was before the batch. */
export interface SettlingReservation {
  month: string;
  amount: number;
  wasOpen: boolean;
}

/** The first settlement of each reservation, in arrival order: later ones of the same batch change nothing. */
export function firstSettlements(batch: Pending[]): SettleInput[] {
  const first = new Map<string, SettleInput>();
  for (const p of batch) {
    if (p.kind === 'settle' && !first.has(p.input.reservationId)) first.set(p.input.reservationId, p.input);
  }
  return [...first.values()];
}

/** Months the batch needs, sorted (the order month rows are locked in). */
export function batchMonths(batch: Pending[], settling: Map<string, SettlingReservation>): string[] {
  const months = new Set<string>();
  for (const p of batch) if (p.kind === 'reserve') months.add(monthOf(p.input.now));
  for (const s of settling.values()) months.add(s.month);
  return [...months].sort();
}

/**
 * Decides a batch in arrival order against month figures that are current (locked, or checked at commit):
 * a settlement adds its actual cost to spent and releases its reservation if it was still open; a
 * reservation is accepted while spent + reserved + amount ≤ cap; alerts are decided against the level
 * already alerted. `months` is updated in place to the figures to write.
 */
export function applyBatch(options: {
  batch: Pending[];
  cap: number | null;
  months: Map<string, MonthFigures>;
  settling: Map<string, SettlingReservation>;
}): { outcomes: Outcome[]; accepted: ReserveInput[] } {
  const { batch, cap, months, settling } = options;
  const accepted: ReserveInput[] = [];
  const settledOnce = new Set<string>();
  const outcomes = batch.map((p): Outcome => {
    if (p.kind === 'settle') {
      const { reservationId, actualMicros } = p.input;
      const row = settling.get(reservationId);
      if (!row || settledOnce.has(reservationId)) return null;
      settledOnce.add(reservationId);
      const m = months.get(row.month)!;
      m.spent += actualMicros;
      if (row.wasOpen) m.reserved -= row.amount;
      const alerts = newlyCrossed({ spentMicros: m.spent, capMicros: cap, alreadyAlerted: m.alerted });
      if (alerts.length > 0) m.alerted = alerts.at(-1)!;
      return {
        month: row.month,
        capMicros: cap,
        spentMicros: m.spent,
        reservedMicros: m.reserved,
        settled: true,
        reservedAmountMicros: row.amount,
        alerts,
      };
    }
    const month = monthOf(p.input.now);
    const m = months.get(month)!;
    const amount = p.input.amountMicros;
    if (cap !== null && m.spent + m.reserved + amount > cap) {
      return { ok: false, month, capMicros: cap, spentMicros: m.spent, reservedMicros: m.reserved };
    }
    m.reserved += amount;
    accepted.push(p.input);
    return {
      ok: true,
      reservationId: p.input.reservationId,
      month,
      capMicros: cap,
      spentMicros: m.spent,
      reservedMicros: m.reserved,
    };
  });
  return { outcomes, accepted };
}

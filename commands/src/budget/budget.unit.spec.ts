import type { EventEnvelope } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { emptyBudgetModel, evolveBudget, monthOf, newlyCrossed } from './index.js';

const event = (type: string, data: Record<string, unknown>, time = '2026-03-01T00:00:00.000Z') =>
  ({ type, data, time }) as unknown as EventEnvelope;

describe('budget thresholds', () => {
  it('reports each threshold once, above what was already alerted', () => {
    expect(newlyCrossed({ spentMicros: 499, capMicros: 1000, alreadyAlerted: 0 })).toEqual([]);
    expect(newlyCrossed({ spentMicros: 850, capMicros: 1000, alreadyAlerted: 0 })).toEqual([50, 80]);
    expect(newlyCrossed({ spentMicros: 1000, capMicros: 1000, alreadyAlerted: 80 })).toEqual([100]);
    expect(newlyCrossed({ spentMicros: 10, capMicros: null, alreadyAlerted: 0 })).toEqual([]);
    expect(monthOf(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12');
  });
});

describe('evolveBudget', () => {
  it('folds reservations, settlements, expiries and alerts like the ledger', () => {
    const m = emptyBudgetModel();
    evolveBudget(m, event('cp.budget.cap.set', { monthlyCapMicros: 900 }));
    evolveBudget(
      m,
      event('cp.gate.budget.reserved', { month: '2026-03', reservationId: 'a', amountMicros: 300 }),
    );
    evolveBudget(
      m,
      event('cp.gate.budget.reserved', { month: '2026-03', reservationId: 'b', amountMicros: 200 }),
    );
    evolveBudget(
      m,
      event('cp.gate.budget.settled', { month: '2026-03', reservationId: 'a', actualMicros: 250 }),
    );
    evolveBudget(
      m,
      event('cp.gate.budget.settled', { month: '2026-03', reservationId: 'a', actualMicros: 250 }),
    );
    evolveBudget(
      m,
      event('cp.gate.budget.expired', { month: '2026-03', reservationId: 'b', reservedMicros: 200 }),
    );
    evolveBudget(
      m,
      event('cp.gate.budget.expired', { month: '2026-03', reservationId: 'ghost', reservedMicros: 5 }),
    );
    evolveBudget(m, event('cp.budget.alert.raised', { month: '2026-03', threshold: 50 }));
    expect(m.capMicros).toBe(900);
    expect(m.months.get('2026-03')).toEqual({ spentMicros: 250, reservedMicros: 0, alerted: 50 });
    expect(m.reservations.get('b')?.state).toBe('expired');
  });
});

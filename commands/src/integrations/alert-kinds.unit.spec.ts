import type { EventEnvelope } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { alertFromEvent, alertKindsSetting, parseAlertKinds } from './alert-kinds.js';

const envelope = (type: string, data: Record<string, unknown>): EventEnvelope =>
  ({
    org: 'org_1',
    seq: 7,
    id: 'evt_1',
    type,
    subject: 's/1',
    subjectVersion: 1,
    time: '2026-12-03T10:00:00.000Z',
    actor: { kind: 'system', id: 'x' },
    data,
    meta: {},
    prev: '0'.repeat(64),
    hash: '1'.repeat(64),
  }) as unknown as EventEnvelope;

const hitl = (kind = 'tool_call') =>
  envelope('cp.hitl.requested', {
    requestId: 'hitl_1',
    kind,
    target: 'tool/refund',
    risk: 'high',
    summary: 'Refund to [EMAIL]',
  });

describe('alert kinds', () => {
  it('ride on the settings as one sorted identifier and read back, unknown kinds dropped', () => {
    expect(alertKindsSetting(['hitl', 'budget', 'hitl'])).toBe('budget.hitl');
    expect(alertKindsSetting([])).toBeUndefined();
    expect(parseAlertKinds('budget.hitl.other')).toEqual(['budget', 'hitl']);
    expect(parseAlertKinds(undefined)).toEqual([]);
  });

  it('turn a HITL request into an approval alert naming the connection, only when marked', () => {
    expect(alertFromEvent({ event: hitl(), kinds: ['hitl'], connectionId: 'int_1' })).toEqual({
      kind: 'hitl',
      connectionId: 'int_1',
      requestId: 'hitl_1',
      risk: 'high',
      summary: 'tool/refund: Refund to [EMAIL]',
    });
    expect(
      alertFromEvent({ event: hitl(), kinds: ['drift', 'budget'], connectionId: 'int_1' }),
    ).toBeUndefined();
    expect(
      alertFromEvent({ event: hitl('consensus'), kinds: ['hitl'], connectionId: 'int_1' }),
    ).toBeUndefined();
  });

  it('summarise drift and budget alerts from their figures', () => {
    const drift = envelope('cp.quality.drift.alerted', {
      skill: 'intake.classify',
      signal: 'pass_rate',
      baseline: { rate: 0.95, n: 200 },
      recent: { rate: 0.7, n: 40 },
    });
    expect(alertFromEvent({ event: drift, kinds: ['drift'], connectionId: 'int_1' })).toEqual({
      kind: 'drift',
      skill: 'intake.classify',
      signal: 'pass_rate',
      summary: '70.0 % over the last 40 runs, against 95.0 % over 200 before.',
    });
    const budget = envelope('cp.budget.alert.raised', {
      month: '2026-12',
      threshold: 100,
      spentMicros: 10_250_000,
      capMicros: 10_000_000,
    });
    expect(alertFromEvent({ event: budget, kinds: ['budget'], connectionId: 'int_1' })).toEqual({
      kind: 'budget',
      spentUsd: '10.25',
      capUsd: '10.00',
      summary: '100 % of the monthly cap for 2026-12 is spent.',
    });
    expect(
      alertFromEvent({ event: envelope('cp.llm.call.completed', {}), kinds: ['budget'], connectionId: 'i' }),
    ).toBeUndefined();
  });
});

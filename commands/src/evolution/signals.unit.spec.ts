import type { EventEnvelope } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { skillSignals } from './signals.js';
import { staleSince } from './stale.js';

let seq = 0;
const event = (
  type: string,
  subject: string,
  data: Record<string, unknown>,
  runId?: string,
): EventEnvelope => {
  seq += 1;
  return {
    org: 'org_1',
    seq,
    id: `evt_${seq}`,
    type,
    subject,
    subjectVersion: 1,
    time: '2026-01-01T00:00:00.000Z',
    actor: { kind: 'system', id: 'spec' },
    data,
    meta: runId ? { runId } : {},
    prev: '0'.repeat(64),
    hash: '0'.repeat(64),
  } as EventEnvelope;
};

describe('skill signals', () => {
  it('attributes failures to the skill of their run, and ignores what says nothing', () => {
    const events = [
      event('cp.skill.invoked', 'run/r1', { skillId: 'risk.eu_ai_act_tier' }),
      event('cp.skill.invoked', 'run/r2', { skillId: 'intake.classify_use_case' }),
      event('cp.quality.l3.checked', 'run/r1', { unknown: [{ text: 'Art. 99', framework: 'EU-AI-ACT' }] }),
      event('cp.quality.l3.checked', 'run/r1', { unknown: [] }),
      event('cp.skill.output.rejected', 'run/r2', { errors: ['/category: required'] }),
      event('cp.gate.policy.decided', 'call/q1', { decision: 'block', code: 'dlp_blocked' }, 'r2'),
      event('cp.gate.policy.decided', 'call/q2', { decision: 'allow' }, 'r2'),
      event('cp.cost.anomaly.detected', 'call/q3', { factor: 5 }, 'r1'),
      event('cp.hitl.requested', 'hitl/h1', { requestId: 'h1' }, 'r1'),
      event('cp.hitl.resolved', 'hitl/h1', { requestId: 'h1', decision: 'deny' }),
      event('cp.skill.output.rejected', 'run/unknown', { errors: ['x'] }),
    ];
    const signals = skillSignals(events);
    expect(signals.get('risk.eu_ai_act_tier')?.map((s) => [s.eventId, s.kind])).toEqual([
      ['evt_3', 'l3_unknown'],
      ['evt_8', 'cost_anomaly'],
      ['evt_10', 'hitl_denied'],
    ]);
    expect(signals.get('intake.classify_use_case')?.map((s) => s.kind)).toEqual([
      'schema_repair',
      'dlp_blocked',
    ]);
    expect(signals.size).toBe(2);
  });
});

describe('quality signals', () => {
  it('counts L4 verdicts below threshold and triage confirmations, never passes or false positives', () => {
    const events = [
      event('cp.skill.invoked', 'run/r1', { skillId: 'risk.eu_ai_act_tier' }),
      event('cp.quality.l4.judged', 'run/r1', { skill: 'risk.eu_ai_act_tier', passed: false, score: 2 }),
      event('cp.quality.l4.judged', 'run/r1', { skill: 'risk.eu_ai_act_tier', passed: true, score: 4 }),
      event('cp.quality.l4.judged', 'run/r1', { skill: 'risk.eu_ai_act_tier', passed: null, score: null }),
      // A run invoked before the stretch read: the verdict and the triage item name its skill.
      event('cp.quality.l4.judged', 'run/r0', { skill: 'intake.classify_use_case', passed: false }),
      event('cp.quality.triage.opened', 'quality-triage/r0', {
        itemId: 't0',
        runId: 'r0',
        skill: 'intake.classify_use_case',
      }),
      event('cp.quality.triage.opened', 'quality-triage/r1', {
        itemId: 't1',
        runId: 'r1',
        skill: 'risk.eu_ai_act_tier',
      }),
      event('cp.quality.triage.resolved', 'quality-triage/r1', { itemId: 't1', resolution: 'true_positive' }),
      event('cp.quality.triage.resolved', 'quality-triage/r0', {
        itemId: 't0',
        resolution: 'false_positive',
      }),
      event('cp.quality.triage.resolved', 'quality-triage/r0', { itemId: 't0', resolution: 'fixed' }),
    ];
    const signals = skillSignals(events);
    const cited = (skill: string) => signals.get(skill)?.map((s) => [s.eventId, s.kind, s.runId]);
    const ids = events.map((e) => e.id);
    expect(cited('risk.eu_ai_act_tier')).toEqual([
      [ids[1], 'l4_below_threshold', 'r1'],
      [ids[7], 'triage_confirmed', 'r1'],
    ]);
    expect(cited('intake.classify_use_case')).toEqual([
      [ids[4], 'l4_below_threshold', 'r0'],
      [ids[9], 'triage_confirmed', 'r0'],
    ]);
  });
});

describe('the stale_after_days rule', () => {
  const now = new Date('2026-03-01T00:00:00.000Z');
  it('counts from the last run of a capsule holding the gene, or from its approval', () => {
    expect(
      staleSince({ approvedAt: '2026-01-01T00:00:00.000Z', lastRunAt: null, now, staleAfterDays: 30 }),
    ).toEqual({ stale: true, lastUsedAt: '2026-01-01T00:00:00.000Z' });
    expect(
      staleSince({
        approvedAt: '2026-01-01T00:00:00.000Z',
        lastRunAt: '2026-02-15T00:00:00.000Z',
        now,
        staleAfterDays: 30,
      }),
    ).toEqual({ stale: false, lastUsedAt: '2026-02-15T00:00:00.000Z' });
    expect(
      staleSince({ approvedAt: '2026-02-20T00:00:00.000Z', lastRunAt: null, now, staleAfterDays: 30 }).stale,
    ).toBe(false);
  });
});

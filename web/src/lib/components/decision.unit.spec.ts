import { describe, expect, it } from 'vitest';
import { decisionOf } from './decision';
import { actorName, subjectName } from './readable-name';

describe('the decision an event records', () => {
  it('reads gate outcomes as allowed, masked, blocked, needs approval, approved and refused', () => {
    const policy = (decision: string, dlp: Record<string, number> = {}) =>
      decisionOf({ type: 'cp.gate.policy.decided', data: { decision, dlp } })?.label;
    expect(policy('allow')).toBe('allowed');
    expect(policy('allow', { EMAIL: 1 })).toBe('masked');
    expect(policy('allow', { EMAIL: 0 })).toBe('allowed');
    expect(policy('block')).toBe('blocked');
    expect(policy('hitl')).toBe('needs approval');
    expect(decisionOf({ type: 'cp.hitl.resolved', data: { decision: 'approve' } })?.label).toBe('approved');
    expect(decisionOf({ type: 'cp.hitl.resolved', data: { decision: 'deny' } })?.label).toBe('refused');
    expect(decisionOf({ type: 'cp.gate.budget.refused', data: {} })?.tone).toBe('bad');
    expect(decisionOf({ type: 'cp.llm.call.completed', data: {} })).toBeNull();
  });
});

describe('readable names', () => {
  it('names an actor by email or key name, and keeps the id when nothing names it', () => {
    const names = { usr_1: 'olga@example.test', key_1: 'billing-bot' };
    expect(actorName({ kind: 'user', id: 'usr_1' }, names)).toEqual({
      text: 'olga@example.test',
      kind: 'user',
      id: 'usr_1',
      named: true,
    });
    expect(actorName({ kind: 'apikey', id: 'key_1' }, names).text).toBe('billing-bot');
    expect(actorName({ kind: 'agent', id: 'nightly' }, names)).toMatchObject({
      text: 'nightly',
      named: false,
    });
  });

  it('names a subject by its last id, and shortens long ids', () => {
    expect(subjectName('api-key/key_1', { key_1: 'billing-bot' })).toMatchObject({
      kind: 'API key',
      text: 'billing-bot',
    });
    expect(subjectName('call/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', {})).toMatchObject({
      kind: 'call',
      text: '0193a1b2…3f4a5b',
      id: 'call/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    });
  });
});

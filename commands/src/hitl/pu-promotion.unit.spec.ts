import { describe, expect, it } from 'vitest';
import { hitlDecider } from './decide.js';
import { HitlError } from './errors.js';
import { initialHitlState } from './state.js';

const request = (target: string) => ({
  type: 'request' as const,
  requestId: 'hitl_1',
  kind: 'pu_promotion' as const,
  target,
  args: { itemId: 'x' },
  argsSha256: 'a'.repeat(64),
  summary: 'Promote',
  reason: 'A Parallel Universe promotion is approved by a person',
  rulesMatched: [],
  dlp: {},
  timeoutSeconds: 60,
  autoApproveThreshold: Number.POSITIVE_INFINITY,
  now: new Date('2026-03-01T00:00:00.000Z'),
  support: { cited: [], score: 0 },
});

describe('a pu_promotion approval request', () => {
  it('is recorded with its kind when the target names an item and gene or coder', () => {
    const target = `pu-item/pu_${'0f'.repeat(12)}/gene`;
    const [requested] = hitlDecider.decide(request(target), initialHitlState());
    expect(requested).toMatchObject({ type: 'cp.hitl.requested', data: { kind: 'pu_promotion', target } });
  });

  it('is refused for a target of any other shape', () => {
    for (const target of [
      'parallel-universe/promote/coder',
      `pu-item/pu_${'0f'.repeat(12)}/run`,
      'pu-item/x/gene',
    ])
      expect(() => hitlDecider.decide(request(target), initialHitlState())).toThrow(HitlError);
  });
});

import { describe, expect, it } from 'vitest';
import type { Fact } from './fact.js';
import { onceDecider } from './record-once.js';

type Capped = Fact<'cp.quality.sampling.capped'>;
const decider = onceDecider<Capped>('cp.quality.sampling.capped');
const data = { month: '2026-11', spentMicros: 5_000_000, budgetMicros: 5_000_000 };
const capped: Capped = { type: 'cp.quality.sampling.capped', data };
const stateAfter = (facts: Capped[]) => facts.reduce(decider.evolve, decider.initialState());

describe('a subject that holds one event', () => {
  it('records the first command as the event', () => {
    expect(decider.decide(data, stateAfter([]))).toEqual([capped]);
  });

  it('records nothing once the event is there, whatever the later command says', () => {
    expect(decider.decide({ ...data, spentMicros: 6_000_000 }, stateAfter([capped]))).toEqual([]);
  });

  it('folds only its own event type', () => {
    expect(decider.understands('cp.quality.sampling.capped')).toBe(true);
    expect(decider.understands('cp.evolution.budget.capped')).toBe(false);
  });
});

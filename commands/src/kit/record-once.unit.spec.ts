import { describe, it } from 'vitest';
import { deciderSpec } from './decider-spec.js';
import type { Fact } from './fact.js';
import { onceDecider } from './record-once.js';

type Capped = Fact<'cp.quality.sampling.capped'>;
const spec = deciderSpec(onceDecider<Capped>('cp.quality.sampling.capped'));
const data = { month: '2026-11', spentMicros: 5_000_000, budgetMicros: 5_000_000 };
const capped: Capped = { type: 'cp.quality.sampling.capped', data };

describe('a subject that holds one event', () => {
  it('records the first command', () => {
    spec.given([]).when(data).then([capped]);
  });
  it('records nothing once the event is there, whatever the later command says', () => {
    spec
      .given([capped])
      .when({ ...data, spentMicros: 6_000_000 })
      .then([]);
  });
});

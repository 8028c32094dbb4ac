import type { Actor, EventData, EventEnvelope, EventStore } from '@proofpane/core';
import type { Fact } from '../kit/fact.js';
import { onceDecider, recordOnce } from '../kit/record-once.js';

/** The month's stop, on `evolution-budget/<month>`: recorded once, however many passes reach the line. */
export const evolutionCapDecider = onceDecider<Fact<'cp.evolution.budget.capped'>>(
  'cp.evolution.budget.capped',
);

export function recordEvolutionCapped(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  capped: EventData<'cp.evolution.budget.capped'>;
}): Promise<EventEnvelope[]> {
  const { capped, ...rest } = options;
  return recordOnce({
    ...rest,
    subject: `evolution-budget/${capped.month}`,
    decider: evolutionCapDecider,
    data: capped,
  });
}

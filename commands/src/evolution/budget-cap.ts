import type { Actor, EventEnvelope, EventStore } from '@proofpane/core';
import { type Decider, handleCommand } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';

type CapFact = Fact<'cp.evolution.budget.capped'>;
type CapCommand = CapFact['data'];

/** The month's stop, on `evolution-budget/<month>`: recorded once, however many passes reach the line. */
export const evolutionCapDecider: Decider<CapCommand, { capped: boolean }, CapFact> = {
  initialState: () => ({ capped: false }),
  understands: (type) => type === 'cp.evolution.budget.capped',
  evolve: () => ({ capped: true }),
  decide: (command, state) => (state.capped ? [] : [{ type: 'cp.evolution.budget.capped', data: command }]),
};

export function recordEvolutionCapped(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  capped: CapCommand;
}): Promise<EventEnvelope[]> {
  return handleCommand({
    store: options.store,
    org: options.org,
    subject: `evolution-budget/${options.capped.month}`,
    decider: evolutionCapDecider,
    command: options.capped,
    actor: options.actor,
  });
}

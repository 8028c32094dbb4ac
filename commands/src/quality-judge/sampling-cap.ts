import type { Actor, EventEnvelope, EventStore } from '@proofpane/core';
import { type Decider, handleCommand } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';

type CapFact = Fact<'cp.quality.sampling.capped'>;
type CapCommand = CapFact['data'];

/** The month's stop, on `quality-sampling/<month>`: recorded once, however many passes reach the cap. */
export const samplingCapDecider: Decider<CapCommand, { capped: boolean }, CapFact> = {
  initialState: () => ({ capped: false }),
  understands: (type) => type === 'cp.quality.sampling.capped',
  evolve: () => ({ capped: true }),
  decide: (command, state) => (state.capped ? [] : [{ type: 'cp.quality.sampling.capped', data: command }]),
};

export function recordSamplingCapped(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  capped: CapCommand;
}): Promise<EventEnvelope[]> {
  return handleCommand({
    store: options.store,
    org: options.org,
    subject: `quality-sampling/${options.capped.month}`,
    decider: samplingCapDecider,
    command: options.capped,
    actor: options.actor,
  });
}

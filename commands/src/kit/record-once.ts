import type { Actor, EventEnvelope, EventStore } from '@proofpane/core';
import { type Decider, handleCommand } from './decider.js';
import type { Fact } from './fact.js';

export type OnceDecider<F extends Fact> = Decider<F['data'], { recorded: boolean }, F>;

/** A subject that holds one event of a type: the first command records it, every later one nothing. */
export function onceDecider<F extends Fact>(type: F['type']): OnceDecider<F> {
  return {
    initialState: () => ({ recorded: false }),
    understands: (candidate) => candidate === type,
    evolve: () => ({ recorded: true }),
    decide: (data, state) => (state.recorded ? [] : [{ type, data } as F]),
  };
}

/** Records the event on `subject` unless it is already there, however many callers race to it. */
export function recordOnce<F extends Fact>(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  subject: string;
  decider: OnceDecider<F>;
  data: F['data'];
}): Promise<EventEnvelope[]> {
  const { store, org, actor, subject, decider, data } = options;
  return handleCommand({ store, org, subject, decider, command: data, actor });
}

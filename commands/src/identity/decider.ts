import {
  type Actor,
  type AnyNewEvent,
  ConcurrencyError,
  type EventEnvelope,
  type EventStore,
  type InlineWrite,
} from '@proofpane/core';
import { type Fact, factsOf } from './facts.js';

/** Emmett's decider shape: pure, so a decision can be replayed from the events alone. */
export interface Decider<Command, State> {
  decide(command: Command, state: State): Fact[];
  evolve(state: State, fact: Fact): State;
  initialState(): State;
}

/** A subject's current state and the version a follow-up append must expect. */
export interface Folded<State> {
  state: State;
  version: number;
}

export async function foldSubject<State>(options: {
  store: EventStore;
  org: string;
  subject: string;
  decider: Pick<Decider<unknown, State>, 'evolve' | 'initialState'>;
}): Promise<Folded<State>> {
  const events = await options.store.readSubject({ org: options.org, subject: options.subject });
  const state = factsOf(events).reduce(options.decider.evolve, options.decider.initialState());
  return { state, version: events.at(-1)?.subjectVersion ?? 0 };
}

export const toNewEvents = (options: { facts: Fact[]; subject: string; actor: Actor }): AnyNewEvent[] =>
  options.facts.map((f) => ({ ...f, subject: options.subject, actor: options.actor }) as AnyNewEvent);

const ATTEMPTS = 3;

/**
 * Reads the subject, folds, decides and appends expecting the version it read; when another
 * writer got there first it decides again on the fresher state (a bounded number of times).
 */
export async function handleCommand<Command, State>(options: {
  store: EventStore;
  org: string;
  subject: string;
  decider: Decider<Command, State>;
  command: Command;
  actor: Actor;
  /** The inline rows the events imply, written in the append's transaction (see `AppendOptions.inline`). */
  inline?: InlineWrite | undefined;
}): Promise<EventEnvelope[]> {
  const { store, org, subject, decider, actor } = options;
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await foldSubject({ store, org, subject, decider });
    const facts = decider.decide(options.command, state);
    if (facts.length === 0) return [];
    try {
      return await store.append({
        org,
        events: toNewEvents({ facts, subject, actor }),
        expectedVersions: { [subject]: version },
        ...(options.inline ? { inline: options.inline } : {}),
      });
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

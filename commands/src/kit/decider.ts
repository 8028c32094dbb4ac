import {
  type Actor,
  type AnyNewEvent,
  ConcurrencyError,
  type EventEnvelope,
  type EventStore,
  type InlineWrite,
} from '@proofpane/core';
import { type Fact, factsOf } from './fact.js';

/**
 * A capability's write side (Emmett's decider): pure, with time and ids inside the command, so a
 * decision can be replayed from the events alone. `decide` throws when an invariant would break.
 */
export interface Decider<Command, State, F extends Fact = Fact> {
  decide(command: Command, state: State): F[];
  evolve(state: State, fact: F): State;
  initialState(): State;
  /** The event types `evolve` folds; a subject's other events are skipped. */
  understands(type: string): boolean;
}

/** A subject's current state and the version a follow-up append must expect. */
export interface Folded<State> {
  state: State;
  version: number;
}

export async function foldSubject<State, F extends Fact>(options: {
  store: EventStore;
  org: string;
  subject: string;
  decider: Pick<Decider<unknown, State, F>, 'evolve' | 'initialState' | 'understands'>;
}): Promise<Folded<State>> {
  const { decider } = options;
  const events = await options.store.readSubject({ org: options.org, subject: options.subject });
  const state = factsOf<F>(events, decider.understands).reduce(
    (s, f) => decider.evolve(s, f),
    decider.initialState(),
  );
  return { state, version: events.at(-1)?.subjectVersion ?? 0 };
}

export const toNewEvents = (options: {
  facts: readonly Fact[];
  subject: string;
  actor: Actor;
  meta?: Record<string, string>;
}): AnyNewEvent[] =>
  options.facts.map(
    (f) =>
      ({
        ...f,
        subject: options.subject,
        actor: options.actor,
        ...(options.meta ? { meta: options.meta } : {}),
      }) as AnyNewEvent,
  );

const ATTEMPTS = 3;

/**
 * Reads the subject, folds, decides and appends expecting the version it read; when another writer got
 * there first it decides again on the fresher state, a bounded number of times. The rows the events imply
 * go in `inline`, written in the append's own transaction.
 */
export async function handleCommand<Command, State, F extends Fact>(options: {
  store: EventStore;
  org: string;
  subject: string;
  decider: Decider<Command, State, F>;
  command: Command;
  actor: Actor;
  meta?: Record<string, string>;
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
        events: toNewEvents({ facts, subject, actor, ...(options.meta ? { meta: options.meta } : {}) }),
        expectedVersions: { [subject]: version },
        ...(options.inline ? { inline: options.inline } : {}),
      });
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

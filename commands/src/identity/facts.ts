import type { EventData, EventEnvelope, EventType } from '@proofpane/core';

type IdentityType = Extract<EventType, `cp.identity.${string}`>;

/** An identity event as a decider sees it: its type and data, no envelope. */
export type Fact<T extends IdentityType = IdentityType> = { [K in T]: { type: K; data: EventData<K> } }[T];

export type IdentityEventType = IdentityType;

/** Narrows stored envelopes to the identity facts a fold understands; others are skipped. */
export const factsOf = (events: readonly EventEnvelope[]): Fact[] =>
  events
    .filter((e) => e.type.startsWith('cp.identity.'))
    .map((e) => ({ type: e.type, data: e.data }) as Fact);

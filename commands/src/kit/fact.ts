import type { EventData, EventEnvelope, EventType } from '@proofpane/core';

/** An event as a decider sees it: its type and data, without the envelope the store adds. */
export type Fact<T extends EventType = EventType> = { [K in T]: { type: K; data: EventData<K> } }[T];

/** The facts of stored envelopes that a decider understands, in order; other types are skipped. */
export const factsOf = <F extends Fact>(
  events: readonly EventEnvelope[],
  understands: (type: string) => boolean,
): F[] => events.filter((e) => understands(e.type)).map((e) => ({ type: e.type, data: e.data }) as F);

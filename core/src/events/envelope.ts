import type { EventEnvelope, EventMeta } from '@proofpane/evidence-verifier';

export {
  canonicalJson,
  type EventEnvelope,
  type EventMeta,
  GENESIS_PREV,
  hashInput,
} from '@proofpane/evidence-verifier';

export type ActorKind = EventEnvelope['actor']['kind'];
export type Actor = EventEnvelope['actor'];

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'proofpane' };

/** What a caller hands to `append`; the store fills org, seq, id, time, subjectVersion, prev and hash. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  subject: string;
  data: Data;
  actor: Actor;
  meta?: EventMeta;
}

/** An envelope and where it sits in the global order, for projections. */
export interface PositionedEvent {
  /** Opaque, totally ordered cursor of the global position; compare with `compareCursors`. */
  cursor: string;
  event: EventEnvelope;
}

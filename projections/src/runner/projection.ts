import type { EventEnvelope, PositionedEvent } from '@proofpane/core';
import type { Kysely } from 'kysely';

/** A span of the global order, (after, through], whose events are all committed. */
export interface EventRange {
  after: string;
  through: string;
}

/**
 * A read model fed by the runner. `apply` receives a batch in global order inside the
 * transaction that also stores the checkpoint; it may throw, and the runner then retries
 * the batch one event at a time and records the events that still fail.
 */
export interface Projection {
  readonly name: string;
  /** Bump it when `apply` or the tables change: the runner rebuilds on start. */
  readonly version: number;
  /** Event types it reads; absent means every type. */
  readonly handles?: readonly string[];
  /** The tables it owns, emptied when it rebuilds. */
  readonly tables: readonly string[];
  apply(options: { tx: Kysely<unknown>; events: readonly PositionedEvent[] }): Promise<void>;
  /**
   * Optional: false for an event `apply` would write nothing for (nor fail on). A batch of only
   * such events moves the checkpoint in one statement, without a transaction.
   */
  affects?(event: EventEnvelope): boolean;
  /**
   * Optional, for rebuilds: writes what `apply` would for every event of `handles` in the range,
   * straight from the events table inside the database, so no body travels to JS. When it throws,
   * the runner applies that range through `apply` instead, which records what still fails.
   */
  replay?(options: { tx: Kysely<unknown>; range: EventRange }): Promise<void>;
}

/** Thrown by projections for an event they cannot apply; its message becomes the recorded reason. */
export class ProjectionError extends Error {
  override readonly name = 'ProjectionError';
}

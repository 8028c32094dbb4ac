import type { PositionedEvent } from '@proofpane/core';
import type { Kysely } from 'kysely';

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
}

/** Thrown by projections for an event they cannot apply; its message becomes the recorded reason. */
export class ProjectionError extends Error {
  override readonly name = 'ProjectionError';
}

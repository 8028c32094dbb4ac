import type { Kysely } from 'kysely';
import { applyBatch, type BatchOutcome, conflictAt } from './apply-batch.js';
import { commitWithoutFlush, moveCheckpoint } from './checkpoints.js';
import { readEventsAfter } from './events-table.js';
import type { EventRange, Projection } from './projection.js';

export type ReplayingProjection = Projection & Required<Pick<Projection, 'replay'>>;

export const canReplay = (projection: Projection): projection is ReplayingProjection =>
  projection.replay !== undefined;

/**
 * Replays a range inside the database for a projection that can (`replay`), moving its checkpoint
 * from `range.after` to `range.through` in the same transaction. When the replay fails, the range's
 * events are read and go through `applyBatch`, which applies what it can and records the rest.
 */
export async function applyRange(options: {
  db: Kysely<unknown>;
  projection: ReplayingProjection;
  range: EventRange;
}): Promise<BatchOutcome> {
  const { db, projection, range } = options;
  try {
    return await db.transaction().execute(async (tx): Promise<BatchOutcome> => {
      await commitWithoutFlush(tx);
      if (!(await moveCheckpoint(tx, projection, { expected: range.after, cursor: range.through }))) {
        return conflictAt(tx, projection);
      }
      await projection.replay({ tx, range });
      return { kind: 'applied', cursor: range.through, failed: 0 };
    });
  } catch {
    const events = await readEventsAfter(db, { ...range, types: projection.handles });
    return applyBatch({
      db,
      projection,
      events,
      expected: range.after,
      through: range.through,
      rebuilding: true,
    });
  }
}

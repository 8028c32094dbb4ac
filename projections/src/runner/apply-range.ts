import type { Kysely } from 'kysely';
import { applyBatch, type BatchOutcome } from './apply-batch.js';
import { commitWithoutFlush, lockCheckpoint, saveCheckpoint } from './checkpoints.js';
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
      const checkpoint = await lockCheckpoint(tx, projection.name);
      if (!checkpoint || checkpoint.cursor !== range.after || checkpoint.version !== projection.version) {
        return { kind: 'conflict', cursor: checkpoint?.cursor ?? null };
      }
      await projection.replay({ tx, range });
      await saveCheckpoint(tx, projection.name, range.through);
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

import type { PositionedEvent } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { commitWithoutFlush, moveCheckpoint, readCheckpoint } from './checkpoints.js';
import type { Projection } from './projection.js';

export type BatchOutcome =
  | { kind: 'applied'; cursor: string; failed: number }
  | { kind: 'conflict'; cursor: string | null };

const reasonOf = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1_000);

async function recordFailure(tx: Kysely<unknown>, projection: string, item: PositionedEvent, error: unknown) {
  const { event } = item;
  await sql`
    INSERT INTO projection_failures (projection, org, seq, event_id, type, cursor, reason)
    VALUES (${projection}, ${event.org}, ${event.seq}, ${event.id}, ${event.type}, ${item.cursor},
      ${reasonOf(error)})
    ON CONFLICT (projection, org, seq) DO UPDATE SET reason = excluded.reason`.execute(tx);
}

/** The conflict outcome: where another runner left the checkpoint. */
export async function conflictAt(db: Kysely<unknown>, projection: Projection): Promise<BatchOutcome> {
  return { kind: 'conflict', cursor: (await readCheckpoint(db, projection.name))?.cursor ?? null };
}

/**
 * Applies one batch and moves the checkpoint in the same transaction. The checkpoint must still
 * read `expected` (it is moved first, which locks it); otherwise another runner moved it and
 * nothing is applied. When the batch fails as a whole, each event is retried under a savepoint and
 * the ones that still fail are recorded in `projection_failures`: the projection moves on, it never
 * stops. The checkpoint moves to the last event, or to `through` when the batch stands for a whole
 * range. A batch none of whose events `affects` the projection only moves the checkpoint.
 */
export async function applyBatch(options: {
  db: Kysely<unknown>;
  projection: Projection;
  events: readonly PositionedEvent[];
  expected: string;
  through?: string;
  rebuilding?: boolean;
}): Promise<BatchOutcome> {
  const { db, projection, events, expected } = options;
  const last = events[events.length - 1];
  if (!last) return { kind: 'applied', cursor: expected, failed: 0 };
  const cursor = options.through ?? last.cursor;
  const { affects } = projection;
  if (affects && !events.some((p) => affects(p.event))) {
    const moved = await moveCheckpoint(db, projection, { expected, cursor });
    return moved ? { kind: 'applied', cursor, failed: 0 } : conflictAt(db, projection);
  }
  const attempt = (isolate: boolean) =>
    db.transaction().execute(async (tx): Promise<BatchOutcome> => {
      if (options.rebuilding) await commitWithoutFlush(tx);
      if (!(await moveCheckpoint(tx, projection, { expected, cursor }))) return conflictAt(tx, projection);
      let failed = 0;
      if (!isolate) await projection.apply({ tx, events });
      else {
        for (const item of events) {
          await sql`SAVEPOINT projection_event`.execute(tx);
          try {
            await projection.apply({ tx, events: [item] });
            await sql`RELEASE SAVEPOINT projection_event`.execute(tx);
          } catch (error) {
            await sql`ROLLBACK TO SAVEPOINT projection_event`.execute(tx);
            await recordFailure(tx, projection.name, item, error);
            failed += 1;
          }
        }
      }
      return { kind: 'applied', cursor, failed };
    });
  try {
    return await attempt(false);
  } catch {
    return attempt(true);
  }
}

import { START_CURSOR } from '@proofpane/core';
import type { Kysely } from 'kysely';
import { readCheckpoint } from './checkpoints.js';
import { countAfter } from './events-table.js';
import type { Projection } from './projection.js';

/**
 * Read-your-writes for a route, a loop or a process handle: resolves true once every one of
 * `projections` has applied every event of its types committed before the call, false when
 * `timeoutMs` passes first (the caller then answers from what it has). It reads the checkpoints from
 * the database, so it works whichever process runs the projections; a checkpoint of another version
 * counts as nothing applied yet. It looks again after `pollMs`, or sooner when `onApplied` (a
 * subscription to applied batches, returning its unsubscribe) tells it a batch landed.
 */
export async function untilProjected(options: {
  db: Kysely<unknown>;
  projections: readonly Pick<Projection, 'name' | 'version' | 'handles'>[];
  /** 5 s unless told; `Infinity` waits for as long as it takes. */
  timeoutMs?: number;
  pollMs?: number;
  onApplied?: (listener: () => void) => () => void;
}): Promise<boolean> {
  const { db } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  const pollMs = options.pollMs ?? 20;
  for (;;) {
    const lags = await Promise.all(
      options.projections.map(async (projection) => {
        const checkpoint = await readCheckpoint(db, projection.name);
        const cursor = checkpoint?.version === projection.version ? checkpoint.cursor : START_CURSOR;
        return countAfter(db, { cursor, types: projection.handles });
      }),
    );
    if (lags.every((lag) => lag === 0)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unlisten();
        resolve();
      };
      const timer = setTimeout(done, Math.min(pollMs, left));
      const unlisten = options.onApplied?.(done) ?? (() => {});
    });
  }
}

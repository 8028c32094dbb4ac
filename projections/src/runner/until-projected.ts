import { type Kysely, sql } from 'kysely';
import { countAfter } from './events-table.js';
import type { Projection } from './projection.js';

/**
 * Read-your-writes for a route or a loop: resolves true once `projection` has applied every committed
 * event of its types, false when `timeoutMs` passes first (the caller then answers from what it has).
 * It reads the checkpoint from the database, so it works whichever process runs the projection.
 */
export async function untilProjected(options: {
  db: Kysely<unknown>;
  projection: Pick<Projection, 'name' | 'handles'>;
  timeoutMs?: number;
  pollMs?: number;
}): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    const { rows } = await sql<{ cursor: string }>`
      SELECT cursor FROM projection_checkpoints WHERE name = ${options.projection.name}`.execute(options.db);
    const cursor = rows[0]?.cursor;
    if (
      cursor !== undefined &&
      (await countAfter(options.db, { cursor, types: options.projection.handles })) === 0
    )
      return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 20));
  }
}

import { START_CURSOR } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { readCheckpoint } from './checkpoints.js';
import { countAfter } from './events-table.js';
import type { Projection } from './projection.js';

export interface ProjectionFailure {
  org: string;
  seq: number;
  eventId: string;
  type: string;
  reason: string;
  failedAt: string;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  /** The global cursor of the last event applied; null before the first start. */
  position: string | null;
  /** Events of the types it reads that are committed but not yet applied. */
  lag: number;
  failureCount: number;
  failures: ProjectionFailure[];
}

/** Position, lag and failures of each projection; failures only of `org` when one is given. */
export async function projectionStatus(options: {
  db: Kysely<unknown>;
  projections: readonly Projection[];
  org?: string | undefined;
  failureLimit?: number;
}): Promise<ProjectionStatus[]> {
  const { db, org } = options;
  const orgFilter = org === undefined ? sql`` : sql`AND org = ${org}`;
  return Promise.all(
    options.projections.map(async (projection) => {
      const checkpoint = await readCheckpoint(db, projection.name);
      const cursor = checkpoint?.version === projection.version ? checkpoint.cursor : null;
      const lag = await countAfter(db, { cursor: cursor ?? START_CURSOR, types: projection.handles });
      const [counted, failures] = await Promise.all([
        sql<{ n: string }>`SELECT count(*) AS n FROM projection_failures
          WHERE projection = ${projection.name} ${orgFilter}`.execute(db),
        sql<{
          org: string;
          seq: string;
          event_id: string;
          type: string;
          reason: string;
          failed_at: Date | string;
        }>`
          SELECT org, seq, event_id, type, reason, failed_at FROM projection_failures
          WHERE projection = ${projection.name} ${orgFilter}
          ORDER BY failed_at DESC, org, seq LIMIT ${options.failureLimit ?? 20}`.execute(db),
      ]);
      return {
        name: projection.name,
        version: projection.version,
        position: cursor,
        lag,
        failureCount: Number(counted.rows[0]?.n ?? 0),
        failures: failures.rows.map((f) => ({
          org: f.org,
          seq: Number(f.seq),
          eventId: f.event_id,
          type: f.type,
          reason: f.reason,
          failedAt: new Date(f.failed_at).toISOString(),
        })),
      };
    }),
  );
}

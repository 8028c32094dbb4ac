import { type Database, type EventStore, START_CURSOR } from '@proofpane/core';
import { migrateReadModels } from '../migrations.js';
import { defaultProjections } from '../projections.js';
import { applyBatch } from './apply-batch.js';
import { resetProjection } from './checkpoints.js';
import { countAfter } from './events-table.js';
import type { Projection } from './projection.js';

export interface RebuildProgress {
  projection: string;
  done: number;
  total: number;
}

export interface RebuildResult {
  projection: string;
  events: number;
  failed: number;
}

/**
 * Empties the named projections (all when none is named) and replays every event into them,
 * one checkpointed transaction per batch: interrupted, it resumes where it stopped on the next start.
 */
export async function rebuildProjections(options: {
  database: Database;
  store: EventStore;
  names?: readonly string[];
  projections?: readonly Projection[];
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
}): Promise<RebuildResult[]> {
  const { db } = options.database;
  const known = options.projections ?? defaultProjections;
  const unknown = (options.names ?? []).filter((name) => !known.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new RangeError(`no projection named ${unknown.join(', ')}; known: ${known.map((p) => p.name).join(', ')}`);
  }
  const chosen = options.names?.length ? known.filter((p) => options.names!.includes(p.name)) : known;
  await migrateReadModels({ db });
  const results: RebuildResult[] = [];
  for (const projection of chosen) {
    await resetProjection(db, projection);
    const total = await countAfter(db, { cursor: START_CURSOR, types: projection.handles });
    let cursor = START_CURSOR;
    let done = 0;
    let failed = 0;
    options.onProgress?.({ projection: projection.name, done, total });
    for (;;) {
      const page = await options.store.readAll({
        after: cursor,
        limit: options.batchSize ?? 2_000,
        ...(projection.handles ? { types: projection.handles } : {}),
      });
      if (page.length === 0) break;
      const outcome = await applyBatch({ db, projection, events: page, expected: cursor });
      if (outcome.kind === 'conflict') {
        throw new Error(`projection ${projection.name} was moved by another process during the rebuild`);
      }
      cursor = outcome.cursor;
      done += page.length;
      failed += outcome.failed;
      options.onProgress?.({ projection: projection.name, done, total: Math.max(total, done) });
    }
    results.push({ projection: projection.name, events: done, failed });
  }
  return results;
}

import { type Database, type PositionedEvent, START_CURSOR } from '@proofpane/core';
import { migrateReadModels } from '../migrations.js';
import { defaultProjections } from '../projections.js';
import { applyBatch } from './apply-batch.js';
import { resetProjection } from './checkpoints.js';
import { countAfter, readEventsAfter } from './events-table.js';
import type { Projection } from './projection.js';

export interface RebuildProgress {
  /** Events read from the store so far, of `total`. */
  done: number;
  total: number;
}

export interface RebuildResult {
  projection: string;
  events: number;
  failed: number;
}

interface Target {
  projection: Projection;
  handles: Set<string> | null;
  cursor: string;
  events: number;
  failed: number;
}

async function applyTo(target: Target, page: readonly PositionedEvent[], database: Database): Promise<void> {
  const events = target.handles ? page.filter((p) => target.handles!.has(p.event.type)) : page;
  if (events.length === 0) return;
  const outcome = await applyBatch({
    db: database.db,
    projection: target.projection,
    events,
    expected: target.cursor,
  });
  if (outcome.kind === 'conflict') {
    throw new Error(`projection ${target.projection.name} was moved by another process during the rebuild`);
  }
  target.cursor = outcome.cursor;
  target.events += events.length;
  target.failed += outcome.failed;
}

/**
 * Empties the named projections (all when none is named) and replays every event into them in one
 * pass over the store: each page is read once (the next one is read while this one is applied) and
 * applied to each projection in its own checkpointed transaction. Interrupted, it resumes where it
 * stopped on the next start of the runner.
 */
export async function rebuildProjections(options: {
  database: Database;
  names?: readonly string[];
  projections?: readonly Projection[];
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
}): Promise<RebuildResult[]> {
  const { database } = options;
  const { db } = database;
  const known = options.projections ?? defaultProjections;
  const unknown = (options.names ?? []).filter((name) => !known.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new RangeError(
      `no projection named ${unknown.join(', ')}; known: ${known.map((p) => p.name).join(', ')}`,
    );
  }
  const chosen = options.names?.length ? known.filter((p) => options.names!.includes(p.name)) : known;
  await migrateReadModels({ db });
  for (const projection of chosen) await resetProjection(db, projection);
  const targets: Target[] = chosen.map((projection) => ({
    projection,
    handles: projection.handles ? new Set(projection.handles) : null,
    cursor: START_CURSOR,
    events: 0,
    failed: 0,
  }));
  const types = targets.some((t) => t.handles === null)
    ? undefined
    : [...new Set(targets.flatMap((t) => [...t.handles!]))];
  const total = await countAfter(db, { cursor: START_CURSOR, types });
  const limit = options.batchSize ?? 2_000;
  const read = (after: string) => readEventsAfter(db, { after, limit, types });
  let done = 0;
  options.onProgress?.({ done, total });
  let next = read(START_CURSOR);
  for (;;) {
    const page = await next;
    if (page.length === 0) break;
    next = read(page[page.length - 1]!.cursor);
    await Promise.all(targets.map((target) => applyTo(target, page, database)));
    done += page.length;
    options.onProgress?.({ done, total: Math.max(total, done) });
  }
  return targets.map((t) => ({ projection: t.projection.name, events: t.events, failed: t.failed }));
}

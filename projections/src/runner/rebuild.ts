import { type Database, START_CURSOR } from '@proofpane/core';
import type { Kysely } from 'kysely';
import { migrateReadModels } from '../migrations.js';
import { defaultProjections } from '../projections.js';
import { applyBatch, type BatchOutcome } from './apply-batch.js';
import { applyRange, canReplay } from './apply-range.js';
import { resetProjection } from './checkpoints.js';
import { countAfter, type Page, readPage } from './events-table.js';
import type { Projection } from './projection.js';

export interface RebuildProgress {
  /** Events of the rebuilt projections' types read so far, of `total`. */
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

/** The types the targets handle together; undefined when one of them handles every type. */
const union = (targets: readonly Target[]): string[] | undefined =>
  targets.some((t) => t.handles === null) ? undefined : [...new Set(targets.flatMap((t) => [...t.handles!]))];

/** How many of the page's events are of the given types (all of them when `handles` is null). */
const countOf = (handles: ReadonlySet<string> | null, page: Page): number => {
  let n = 0;
  for (const [type, count] of page.counts) if (!handles || handles.has(type)) n += count;
  return n;
};

async function applyTo(target: Target, page: Page, db: Kysely<unknown>): Promise<void> {
  const { projection } = target;
  const events = countOf(target.handles, page);
  if (events === 0) return;
  let outcome: BatchOutcome;
  if (canReplay(projection)) {
    // From its own checkpoint: a page with none of its events left it behind the page's start.
    outcome = await applyRange({
      db,
      projection,
      range: { after: target.cursor, through: page.range.through },
    });
  } else {
    const handled = target.handles
      ? page.events.filter((p) => target.handles!.has(p.event.type))
      : page.events;
    outcome = await applyBatch({
      db,
      projection,
      events: handled,
      expected: target.cursor,
      through: page.range.through,
      rebuilding: true,
    });
  }
  if (outcome.kind === 'conflict') {
    throw new Error(`projection ${projection.name} was moved by another process during the rebuild`);
  }
  target.cursor = outcome.cursor;
  target.events += events;
  target.failed += outcome.failed;
}

/**
 * Empties the named projections (all when none is named) and replays every event into them in one
 * pass over the store, page by page (the next page is read while this one is applied). Each page
 * goes to each projection in its own checkpointed transaction: a projection that can `replay`
 * derives its rows inside the database, the others get the page's events, read with the page itself.
 * Interrupted, it resumes where it stopped on the next start of the runner.
 */
export async function rebuildProjections(options: {
  database: Database;
  names?: readonly string[];
  projections?: readonly Projection[];
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
}): Promise<RebuildResult[]> {
  const { db } = options.database;
  const known = options.projections ?? defaultProjections;
  const unknown = (options.names ?? []).filter((name) => !known.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new RangeError(
      `no projection named ${unknown.join(', ')}; known: ${known.map((p) => p.name).join(', ')}`,
    );
  }
  const chosen = options.names?.length ? known.filter((p) => options.names!.includes(p.name)) : known;
  await migrateReadModels({ db });
  await Promise.all(chosen.map((projection) => resetProjection(db, projection)));
  const targets: Target[] = chosen.map((projection) => ({
    projection,
    handles: projection.handles ? new Set(projection.handles) : null,
    cursor: START_CURSOR,
    events: 0,
    failed: 0,
  }));
  const inJs = targets.filter((t) => !canReplay(t.projection));
  const bodiesOf = inJs.length > 0 ? union(inJs) : [];
  const limit = options.batchSize ?? 2_000;
  const read = (after: string) => readPage(db, { after, limit, bodiesOf });
  // Read ahead: awaited later, where a failure surfaces; not an unhandled rejection meanwhile.
  const readAhead = (after: string) => {
    const page = read(after);
    page.catch(() => {});
    return page;
  };
  let next = readAhead(START_CURSOR);
  const types = union(targets);
  const handled = types ? new Set(types) : null;
  const total = await countAfter(db, { cursor: START_CURSOR, types });
  let done = 0;
  options.onProgress?.({ done, total });
  for (;;) {
    const page = await next;
    if (!page) break;
    next = readAhead(page.range.through);
    await Promise.all(targets.map((target) => applyTo(target, page, db)));
    done += countOf(handled, page);
    options.onProgress?.({ done, total: Math.max(total, done) });
  }
  return targets.map((t) => ({ projection: t.projection.name, events: t.events, failed: t.failed }));
}

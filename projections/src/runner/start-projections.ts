import type { Database, EventStore } from '@proofpane/core';
import { migrateReadModels } from '../migrations.js';
import { defaultProjections } from '../projections.js';
import type { Projection } from './projection.js';
import { type AppliedBatch, ProjectionRunner } from './projection-runner.js';
import { type ProjectionStatus, projectionStatus } from './status.js';
import { untilProjected } from './until-projected.js';

export interface StartProjectionsOptions {
  database: Database;
  store: EventStore;
  projections?: readonly Projection[];
  /** Events per batch (and per transaction); 1,000 unless told. */
  batchSize?: number;
  /**
   * Live lag accepted so that commits landing close together are applied in one transaction per
   * projection instead of one each; 10 ms unless told.
   */
  gatherMs?: number;
  onError?: (error: unknown, projection: string) => void;
}

export interface RunningProjection extends ProjectionStatus {
  state: 'starting' | 'running' | 'stopped';
  lastError: string | null;
}

/**
 * What a listener learns of a committed batch: the projection and the orgs it touched. Not the
 * events themselves, so the notice is cheap to post from a worker thread.
 */
export interface AppliedNotice {
  projection: string;
  orgs: readonly string[];
}

/** The running read side: what the server starts on ready and stops on close. */
export interface ProjectionsHandle {
  readonly projections: readonly Projection[];
  status(options?: { org?: string }): Promise<RunningProjection[]>;
  /** Each runner's state without touching the database. */
  states(): { name: string; state: RunningProjection['state']; lastError: string | null }[];
  /** Resolves once every projection has applied every event committed before the call. */
  caughtUp(): Promise<void>;
  /** Called after each batch a projection commits; returns the unsubscribe function. */
  onApplied(listener: (applied: AppliedNotice) => void): () => void;
  stop(): Promise<void>;
}

export function noticeOf(batch: AppliedBatch): AppliedNotice {
  return { projection: batch.projection, orgs: [...new Set(batch.events.map((p) => p.event.org))] };
}

/** Migrates the read-model tables, rebuilds projections whose version changed, and follows the store. */
export async function startProjections(options: StartProjectionsOptions): Promise<ProjectionsHandle> {
  const { db } = options.database;
  const projections = options.projections ?? defaultProjections;
  await migrateReadModels({ db });
  const listeners = new Set<(applied: AppliedNotice) => void>();
  const runners = projections.map(
    (projection) =>
      new ProjectionRunner({
        db,
        store: options.store,
        projection,
        batchSize: options.batchSize ?? 1_000,
        gatherMs: options.gatherMs ?? 10,
        onApplied: (batch) => {
          if (listeners.size === 0) return;
          const notice = noticeOf(batch);
          for (const listener of listeners) listener(notice);
        },
        onError: (error) => options.onError?.(error, projection.name),
      }),
  );
  for (const runner of runners) await runner.start();

  const onApplied = (listener: (applied: AppliedNotice) => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const status = async (o: { org?: string } = {}) => {
    const base = await projectionStatus({ db, projections, org: o.org });
    return base.map((s, i) => ({ ...s, state: runners[i]!.state, lastError: runners[i]!.lastError }));
  };
  return {
    projections,
    status,
    states: () => runners.map((r) => ({ name: r.projection.name, state: r.state, lastError: r.lastError })),
    async caughtUp() {
      await untilProjected({ db, projections, onApplied, timeoutMs: Number.POSITIVE_INFINITY, pollMs: 50 });
    },
    onApplied,
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
      listeners.clear();
    },
  };
}

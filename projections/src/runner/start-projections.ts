import type { Database, EventStore } from '@proofpane/core';
import { migrateReadModels } from '../migrations.js';
import { defaultProjections } from '../projections.js';
import type { Projection } from './projection.js';
import { type AppliedBatch, ProjectionRunner } from './projection-runner.js';
import { type ProjectionStatus, projectionStatus } from './status.js';

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

/** The running read side: what the server starts on ready and stops on close. */
export interface ProjectionsHandle {
  readonly projections: readonly Projection[];
  status(options?: { org?: string }): Promise<RunningProjection[]>;
  /** Resolves once every projection has applied every event committed before the call. */
  caughtUp(): Promise<void>;
  /** Called after each batch a projection commits; returns the unsubscribe function. */
  onApplied(listener: (batch: AppliedBatch) => void): () => void;
  stop(): Promise<void>;
}

/** Migrates the read-model tables, rebuilds projections whose version changed, and follows the store. */
export async function startProjections(options: StartProjectionsOptions): Promise<ProjectionsHandle> {
  const { db } = options.database;
  const projections = options.projections ?? defaultProjections;
  await migrateReadModels({ db });
  const listeners = new Set<(batch: AppliedBatch) => void>();
  const runners = projections.map(
    (projection) =>
      new ProjectionRunner({
        db,
        store: options.store,
        projection,
        batchSize: options.batchSize ?? 1_000,
        gatherMs: options.gatherMs ?? 10,
        onApplied: (batch) => {
          for (const listener of listeners) listener(batch);
        },
        onError: (error) => options.onError?.(error, projection.name),
      }),
  );
  for (const runner of runners) await runner.start();

  const status = async (o: { org?: string } = {}) => {
    const base = await projectionStatus({ db, projections, org: o.org });
    return base.map((s, i) => ({ ...s, state: runners[i]!.state, lastError: runners[i]!.lastError }));
  };
  return {
    projections,
    status,
    async caughtUp() {
      for (;;) {
        const all = await projectionStatus({ db, projections, failureLimit: 0 });
        if (all.every((s) => s.lag === 0)) return;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            listeners.delete(done);
            resolve();
          };
          const timer = setTimeout(done, 50);
          listeners.add(done);
        });
      }
    },
    onApplied(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
      listeners.clear();
    },
  };
}

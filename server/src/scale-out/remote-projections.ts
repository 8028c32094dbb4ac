import {
  type AppliedNotice,
  defaultProjections,
  type ProjectionsHandle,
  projectionStatus,
  waitCaughtUp,
} from '@proofpane/projections';
import type { Kysely } from 'kysely';
import type { PeerBus } from './bus.js';

export const APPLIED_TOPIC = 'projections.applied';
/** Orgs per notice, so a batch that touched many orgs still fits in NOTIFY payloads. */
const ORGS_PER_NOTICE = 100;

/**
 * The projections as an `api` process sees them when a `projector` runs them: status and catch-up
 * read the checkpoints in the shared database, applied batches arrive over the bus (and a catch-up
 * wait also looks again every 50 ms, so a lost notice only delays it).
 */
export function remoteProjections(options: { db: Kysely<unknown>; bus: PeerBus }): ProjectionsHandle {
  const projections = defaultProjections;
  const listeners = new Set<(applied: AppliedNotice) => void>();
  const unsubscribe = options.bus.subscribe(APPLIED_TOPIC, (payload) => {
    const notice = payload as AppliedNotice;
    if (typeof notice?.projection !== 'string' || !Array.isArray(notice.orgs)) return;
    for (const listener of listeners) listener(notice);
  });
  const onApplied = (listener: (applied: AppliedNotice) => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return {
    projections,
    async status(o = {}) {
      const base = await projectionStatus({ db: options.db, projections, org: o.org });
      // Runner states live in the projector; here a projection is as current as its checkpoint.
      return base.map((s) => ({ ...s, state: 'running' as const, lastError: null }));
    },
    states: () => projections.map((p) => ({ name: p.name, state: 'running' as const, lastError: null })),
    caughtUp: () => waitCaughtUp(options.db, projections, onApplied),
    onApplied,
    async stop() {
      unsubscribe();
      listeners.clear();
    },
  };
}

/** Tells the deployment's `api` processes about each batch this process's projections applied. */
export function publishApplied(options: {
  projections: ProjectionsHandle;
  bus: PeerBus;
  onError(error: unknown): void;
}): () => void {
  if (!options.bus.shared) return () => {};
  return options.projections.onApplied((notice) => {
    for (let i = 0; i < Math.max(1, notice.orgs.length); i += ORGS_PER_NOTICE) {
      const part: AppliedNotice = {
        projection: notice.projection,
        orgs: notice.orgs.slice(i, i + ORGS_PER_NOTICE),
      };
      options.bus.publish(APPLIED_TOPIC, part).catch(options.onError);
    }
  });
}

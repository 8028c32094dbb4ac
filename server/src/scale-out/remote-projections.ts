import {
  type AppliedNotice,
  defaultProjections,
  type ProjectionsHandle,
  projectionStatus,
  untilProjected,
} from '@proofpane/projections';
import type { Kysely } from 'kysely';
import type { PeerBus } from './bus.js';

export const APPLIED_TOPIC = 'projections.applied';
/** Orgs per notice, so a batch that touched many orgs still fits in NOTIFY payloads. */
const ORGS_PER_NOTICE = 100;
/** Bytes of notices per bus message, under the bus's 7,800-byte limit with room for its envelope. */
const MESSAGE_BYTES = 7_000;

/**
 * The projections as an `api` process sees them when a `projector` runs them: status and catch-up
 * read the checkpoints in the shared database, applied batches arrive over the bus (and a catch-up
 * wait also looks again every 50 ms, so a lost notice only delays it).
 */
export function remoteProjections(options: { db: Kysely<unknown>; bus: PeerBus }): ProjectionsHandle {
  const projections = defaultProjections;
  const listeners = new Set<(applied: AppliedNotice) => void>();
  const unsubscribe = options.bus.subscribe(APPLIED_TOPIC, (payload) => {
    // A list of batches gathered by `publishApplied`, or one batch.
    for (const notice of (Array.isArray(payload) ? payload : [payload]) as AppliedNotice[]) {
      if (typeof notice?.projection !== 'string' || !Array.isArray(notice.orgs)) continue;
      for (const listener of listeners) listener(notice);
    }
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
    async caughtUp() {
      await untilProjected({
        db: options.db,
        projections,
        onApplied,
        timeoutMs: Number.POSITIVE_INFINITY,
        pollMs: 50,
      });
    },
    onApplied,
    async stop() {
      unsubscribe();
      listeners.clear();
    },
  };
}

/** Batches applied this close together go out as one notice, instead of one NOTIFY per projection; an
 * `api` process's catch-up wait also looks at the checkpoints every 50 ms, so none waits longer for it. */
const GATHER_MS = 50;

/**
 * Tells the deployment's `api` processes about the batches this process's projections applied:
 * every projection applies each call's events, so the batches of one window (per projection, the
 * orgs they touched) travel as one list in one notice.
 */
export function publishApplied(options: {
  projections: ProjectionsHandle;
  bus: PeerBus;
  onError(error: unknown): void;
}): () => void {
  if (!options.bus.shared) return () => {};
  const pending = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const notices: AppliedNotice[] = [];
    for (const [projection, orgs] of pending) {
      const all = [...orgs];
      for (let i = 0; i < Math.max(1, all.length); i += ORGS_PER_NOTICE)
        notices.push({ projection, orgs: all.slice(i, i + ORGS_PER_NOTICE) });
    }
    pending.clear();
    // Under NOTIFY's payload limit: as few lists as fit.
    let list: AppliedNotice[] = [];
    let bytes = 0;
    const send = () => {
      if (list.length > 0) options.bus.publish(APPLIED_TOPIC, list).catch(options.onError);
      list = [];
      bytes = 0;
    };
    for (const notice of notices) {
      const size = Buffer.byteLength(JSON.stringify(notice)) + 1;
      if (bytes + size > MESSAGE_BYTES) send();
      list.push(notice);
      bytes += size;
    }
    send();
  };
  const unlisten = options.projections.onApplied((notice) => {
    let orgs = pending.get(notice.projection);
    if (!orgs) {
      orgs = new Set();
      pending.set(notice.projection, orgs);
    }
    for (const org of notice.orgs) orgs.add(org);
    timer ??= setTimeout(flush, GATHER_MS);
  });
  return () => {
    unlisten();
    if (timer) clearTimeout(timer);
    flush();
  };
}

import { catalogue, type EventStore, PostgresEventStore } from '@proofpane/core';
import type { PeerBus } from './bus.js';

export const COMMIT_TOPIC = 'store.committed';
/** Commits landing this close together go out as one notice (newest cursor, every type). */
const GATHER_MS = 5;
/** Above this many types a notice says "any type" instead of listing them. */
const MAX_TYPES = 60;

interface CommitNotice {
  c: string;
  /** Absent: wake readers of every type. */
  t?: string[];
}

type CommitListener = (cursor: string, types: ReadonlySet<string>) => void;

/**
 * Cross-process fan-out of commits (docs/decisions/0034): each process tells the others the cursor
 * and types of what it committed, and wakes its own store's readers for theirs, so SSE streams,
 * HITL waiters and projections in every process see another process's events without waiting for
 * their poll. The events themselves are read from the table, never carried in the notice.
 */
export function fanOutCommits(options: { store: EventStore; bus: PeerBus; onError(error: unknown): void }) {
  const listeners = new Set<CommitListener>();
  const { store, bus } = options;
  if (!(store instanceof PostgresEventStore) || !bus.shared)
    return { onRemoteCommit: (_: CommitListener) => () => {}, stop: () => {} };
  const allTypes = new Set(Object.keys(catalogue));
  let pending: { cursor: string; types: Set<string> } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (!pending) return;
    const { cursor, types } = pending;
    pending = undefined;
    const notice: CommitNotice = types.size <= MAX_TYPES ? { c: cursor, t: [...types] } : { c: cursor };
    bus.publish(COMMIT_TOPIC, notice).catch(options.onError);
  };
  const unlistenLocal = store.onCommitted((cursor, types) => {
    if (!pending) pending = { cursor, types: new Set(types) };
    else {
      pending.cursor = cursor;
      for (const type of types) pending.types.add(type);
    }
    timer ??= setTimeout(flush, GATHER_MS);
  });
  const unsubscribe = bus.subscribe(COMMIT_TOPIC, (payload) => {
    const notice = payload as CommitNotice;
    if (typeof notice?.c !== 'string') return;
    const types = Array.isArray(notice.t) ? new Set(notice.t) : allTypes;
    store.committedElsewhere(notice.c, types);
    for (const listener of listeners) listener(notice.c, types);
  });
  return {
    /** Another process's commits, for readers this store does not own (the projections thread). */
    onRemoteCommit(listener: CommitListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      if (timer) clearTimeout(timer);
      flush();
      unlistenLocal();
      unsubscribe();
    },
  };
}

export type CommitFanOut = ReturnType<typeof fanOutCommits>;

import type { UseCaseHistoryEntry } from '@proofpane/api';
import type { EventEnvelope } from '@proofpane/core';

/**
 * A case's events as its history shows them: who did what and when, the names of edited fields, moves
 * with their notes, tier suggestions and confirmations. Values of edited fields stay in the log.
 */
export function historyEntry(event: EventEnvelope): UseCaseHistoryEntry {
  const data = event.data as Record<string, unknown>;
  const pick = <K extends string>(...keys: K[]) =>
    Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]])) as Partial<
      Record<K, never>
    >;
  return {
    seq: event.seq,
    time: event.time,
    type: event.type,
    actor: { kind: event.actor.kind, id: event.actor.id },
    ...pick('changed', 'from', 'to', 'note', 'reason', 'tier', 'runId'),
  };
}

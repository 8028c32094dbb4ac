import type { ReserveInput } from './batch-decision.js';
import type { VersionedMonth } from './fast-commit.js';
import { monthOf } from './thresholds.js';

/**
 * What a batched ledger last read or wrote for one org under lock or checked commit. Nothing here is
 * trusted: the fast commit re-checks every month version, the cap and every reservation it settles.
 */
export interface OrgCache {
  cap: number | null;
  months: Map<string, VersionedMonth>;
  /** Reservations this process opened and has not seen settled. */
  open: Map<string, { month: string; amount: number }>;
}

export interface CommittedBatch {
  /** The cap and month rows as committed; absent when the batch touched no month (the cap was not read). */
  written?: { cap: number | null; months: Map<string, VersionedMonth> } | undefined;
  /** Reservations the batch settled or found not to be open: either way no longer open. */
  settledIds: string[];
  accepted: ReserveInput[];
}

/**
 * Per-org caches, least recently used first. An org whose process opens reservations it never settles
 * (they expire, or another process settles them) would grow without end, so its cache is dropped past
 * `maxOpenPerOrg` and refilled by the next locking batch.
 */
export function createLedgerCache(limits: { maxOrgs: number; maxOpenPerOrg: number }) {
  const orgs = new Map<string, OrgCache>();
  return {
    get(org: string): OrgCache | undefined {
      const cache = orgs.get(org);
      if (cache) {
        orgs.delete(org);
        orgs.set(org, cache);
      }
      return cache;
    },

    /**
     * Forgets the org's cap and month rows, so its next batch takes the locking path. Its open reservations
     * are kept: each is checked to be still open when settled, and a reservation's month and amount never
     * change, so they stay true while the figures around them move.
     */
    forgetRows(org: string): void {
      orgs.get(org)?.months.clear();
    },

    record(org: string, batch: CommittedBatch): void {
      let cache = orgs.get(org);
      if (batch.written && !cache) {
        cache = { cap: batch.written.cap, months: new Map(), open: new Map() };
        orgs.set(org, cache);
      }
      if (!cache) return;
      if (batch.written) {
        cache.cap = batch.written.cap;
        for (const [month, m] of batch.written.months) cache.months.set(month, m);
      }
      for (const id of batch.settledIds) cache.open.delete(id);
      for (const r of batch.accepted) {
        cache.open.set(r.reservationId, { month: monthOf(r.now), amount: r.amountMicros });
      }
      if (cache.open.size > limits.maxOpenPerOrg) orgs.delete(org);
      for (const oldest of orgs.keys()) {
        if (orgs.size <= limits.maxOrgs) break;
        orgs.delete(oldest);
      }
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { EventStore } from '@proofpane/core';
import type { BudgetLedger } from './ledger.js';
import { monthOf } from './thresholds.js';

/** A call reserved from a lease: its reservation and settlement go in its outcome append, naming the lease. */
export interface LeasedReservation {
  leaseId: string;
  month: string;
  /** The cap, spent and reserved as they stood when the lease was granted. */
  capMicros: number | null;
  spentMicros: number;
  reservedMicros: number;
}

/**
 * The process's budget leases: slices of each org's remaining monthly cap, each held by one durable commit
 * (`grantLease`, then `cp.budget.lease.granted`), from which calls reserve in memory. Returns null when the
 * call must reserve exactly in the ledger: near the cap (the lease a grant could give is under `minCalls`
 * such calls), or right after such a refusal.
 */
export interface BudgetLeases {
  reserve(options: {
    org: string;
    amountMicros: number;
    now: Date;
    /** The org's cap as the gate sees it: a lease granted under another cap is not used. */
    capMicros: number | null;
  }): Promise<LeasedReservation | null>;
  /**
   * The call's outcome append committed (`committed`) or failed. The unspent part of its reservation returns
   * to the lease only once its settlement is durable; a lease given up is released once its calls settled.
   */
  settled(options: {
    org: string;
    leaseId: string;
    reservedMicros: number;
    actualMicros: number;
    committed: boolean;
  }): void;
  /** Orgs with state in this process (a lease, a grant under way or a backoff); idle ones are forgotten. */
  trackedOrgs(): number;
  /** Releases every lease this process holds (waits for their calls to settle first). */
  close(): Promise<void>;
}

interface Lease {
  id: string;
  org: string;
  month: string;
  amount: number;
  /** Reserved by calls in flight plus spent by settled ones. */
  used: number;
  consumed: number;
  inflight: number;
  grantedAt: number;
  capMicros: number | null;
  spentMicros: number;
  reservedMicros: number;
  retired: boolean;
}

interface OrgLeases {
  current?: Lease;
  granting?: Promise<Lease | null>;
  /** After a grant came back empty, calls reserve exactly until then (ms). */
  exactUntil: number;
}

export interface LeaseSettings {
  /** How many calls of the current size a lease aims to cover (default 256). */
  targetCalls: number;
  /** The least number of such calls a lease must cover, else calls reserve exactly (default 4). */
  minCalls: number;
  /** A lease takes at most 1/share of what the cap leaves (default 4), so other processes get their slice. */
  share: number;
  /** New calls use a lease this long after its grant (default min(30 s, TTL / 4)); then it is released. */
  windowMs: number;
  /** How long calls reserve exactly after a grant came back empty (default 1 s). */
  exactBackoffMs: number;
  ttlSeconds: number;
}

const ACTOR = { kind: 'system', id: 'budget-lease' } as const;

export function createBudgetLeases(options: {
  ledger: BudgetLedger;
  store: EventStore;
  ttlSeconds: number;
  settings?: Partial<Omit<LeaseSettings, 'ttlSeconds'>>;
  onError?: (error: unknown) => void;
}): BudgetLeases {
  const { ledger, store } = options;
  const settings: LeaseSettings = {
    targetCalls: 256,
    minCalls: 4,
    share: 4,
    windowMs: Math.min(30_000, (options.ttlSeconds * 1000) / 4),
    exactBackoffMs: 1_000,
    ttlSeconds: options.ttlSeconds,
    ...options.settings,
  };
  // Only orgs with a lease, a grant under way or an exact-reservation backoff have an entry, so the
  // map stays the size of the orgs calling now, not of every org the process has served.
  const orgs = new Map<string, OrgLeases>();
  const held = new Map<string, Lease>();
  const releasing = new Set<Promise<void>>();
  const onError = options.onError ?? (() => {});

  const stateOf = (org: string) => {
    let state = orgs.get(org);
    if (!state) {
      state = { exactUntil: 0 };
      orgs.set(org, state);
    }
    return state;
  };

  const forgetIfIdle = (org: string, state: OrgLeases) => {
    if (state.current || state.granting || orgs.get(org) !== state) return;
    const backoffLeft = state.exactUntil - Date.now();
    // A timer may fire a millisecond before the clock reaches its end: look again then, not never.
    if (backoffLeft > 0) setTimeout(() => forgetIfIdle(org, state), backoffLeft + 1).unref();
    else orgs.delete(org);
  };

  const release = (lease: Lease) => {
    held.delete(lease.id);
    const done = store
      .append({
        org: lease.org,
        events: [
          {
            type: 'cp.budget.lease.released',
            subject: `budget/lease/${lease.id}`,
            actor: ACTOR,
            data: {
              month: lease.month,
              leaseId: lease.id,
              amountMicros: lease.amount,
              consumedMicros: lease.consumed,
            },
          },
        ],
      })
      .then(
        () => {},
        // The lease then expires after its TTL: what it held returns to the cap later, never spent twice.
        onError,
      )
      .finally(() => releasing.delete(done));
    releasing.add(done);
  };

  const retire = (state: OrgLeases, lease: Lease) => {
    if (state.current === lease) state.current = undefined;
    if (lease.retired) return;
    lease.retired = true;
    if (lease.inflight === 0) release(lease);
  };

  const grant = async (org: string, amountMicros: number, now: Date): Promise<Lease | null> => {
    const leaseId = `lease_${randomUUID()}`;
    const granted = await ledger.grantLease({
      org,
      leaseId,
      targetMicros: Math.max(1, amountMicros * settings.targetCalls),
      minMicros: Math.max(1, amountMicros * settings.minCalls),
      share: settings.share,
      now,
      ttlSeconds: settings.ttlSeconds,
    });
    if (!granted) return null;
    const lease: Lease = {
      id: leaseId,
      org,
      month: granted.month,
      amount: granted.amountMicros,
      used: 0,
      consumed: 0,
      inflight: 0,
      grantedAt: Date.now(),
      capMicros: granted.capMicros,
      spentMicros: granted.spentMicros,
      reservedMicros: granted.reservedMicros,
      retired: false,
    };
    held.set(leaseId, lease);
    try {
      await store.append({
        org,
        events: [
          {
            type: 'cp.budget.lease.granted',
            subject: `budget/lease/${leaseId}`,
            actor: ACTOR,
            data: {
              month: granted.month,
              leaseId,
              amountMicros: granted.amountMicros,
              capMicros: granted.capMicros,
              spentMicros: granted.spentMicros,
              reservedMicros: granted.reservedMicros,
              expiresAt: granted.expiresAt,
            },
          },
        ],
      });
    } catch (error) {
      // Unrecorded, the lease is never used; its row is released by the sweeper after its TTL.
      held.delete(leaseId);
      throw error;
    }
    return lease;
  };

  const usable = (lease: Lease | undefined, month: string, capMicros: number | null): lease is Lease =>
    lease !== undefined &&
    !lease.retired &&
    lease.month === month &&
    lease.capMicros === capMicros &&
    Date.now() - lease.grantedAt < settings.windowMs;

  const take = (lease: Lease, amountMicros: number): LeasedReservation | null => {
    if (lease.retired || lease.amount - lease.used < amountMicros) return null;
    lease.used += amountMicros;
    lease.inflight += 1;
    return {
      leaseId: lease.id,
      month: lease.month,
      capMicros: lease.capMicros,
      spentMicros: lease.spentMicros,
      reservedMicros: lease.reservedMicros,
    };
  };

  return {
    async reserve({ org, amountMicros, now, capMicros }) {
      const state = stateOf(org);
      const month = monthOf(now);
      const current = state.current;
      if (usable(current, month, capMicros)) {
        const taken = take(current, amountMicros);
        if (taken) return taken;
      }
      if (current) retire(state, current);
      if (Date.now() < state.exactUntil) return null;
      if (!state.granting) {
        state.granting = grant(org, amountMicros, now).finally(() => {
          state.granting = undefined;
        });
      }
      let lease: Lease | null;
      try {
        lease = await state.granting;
      } catch (error) {
        onError(error);
        forgetIfIdle(org, state);
        return null;
      }
      if (!lease) {
        state.exactUntil = Date.now() + settings.exactBackoffMs;
        forgetIfIdle(org, state);
        return null;
      }
      if (!state.current || state.current.retired) {
        state.current = lease;
        // An idle lease is given back at the end of its window, not held until its TTL.
        setTimeout(() => {
          retire(state, lease);
          forgetIfIdle(org, state);
        }, settings.windowMs).unref();
      } else if (state.current !== lease) retire(state, lease);
      return take(lease, amountMicros);
    },

    settled({ leaseId, reservedMicros, actualMicros, committed }) {
      const lease = held.get(leaseId);
      if (!lease) return;
      lease.inflight -= 1;
      if (committed) {
        lease.used -= reservedMicros - actualMicros;
        lease.consumed += actualMicros;
      }
      if (lease.retired && lease.inflight === 0) release(lease);
    },

    trackedOrgs: () => orgs.size,

    async close() {
      for (const lease of [...held.values()]) retire(orgs.get(lease.org) ?? { exactUntil: 0 }, lease);
      while (releasing.size > 0) await Promise.all(releasing);
    },
  };
}

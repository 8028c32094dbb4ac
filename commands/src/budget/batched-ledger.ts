import type { Kysely } from 'kysely';
import {
  applyBatch,
  batchMonths,
  firstSettlements,
  type MonthFigures,
  type Outcome,
  type Pending,
  type SettlingReservation,
} from './batch-decision.js';
import { FAST_COMMIT_CONFLICT, fastCommit, type VersionedMonth } from './fast-commit.js';
import type { BudgetLedger, ReserveOutcome, SettleOutcome } from './ledger.js';
import { createLedgerCache } from './ledger-cache.js';
import { lockingCommit } from './locking-commit.js';

const MAX_BATCH = 500;
const RETRIES = 3;
// Deadlock and serialisation failures are decided again from scratch; nothing of the batch was committed.
const RETRYABLE = new Set(['40P01', '40001']);
const CACHE_LIMITS = { maxOrgs: 1_000, maxOpenPerOrg: 4_000 };

const errorCode = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Group commit for the budget's hot row: reservations and settlements of one org queue while a batch is
 * decided, and the next batch decides them all in arrival order and commits once.
 *
 * A batch that only needs month rows and open reservations this process already holds figures for is
 * decided from that cache and committed by one statement that applies only if none of them changed
 * (see `budget_fast_commit`): one round trip. Any other batch, and one whose fast commit conflicts, takes
 * the locking path (one transaction under row locks), which refills the cache. Either way the decision is
 * taken against the rows as they stand at commit, so exactness is that of one statement per call.
 */
export function withBatchedLedger(options: { ledger: BudgetLedger; db: Kysely<unknown> }): BudgetLedger {
  const { ledger, db } = options;
  const queues = new Map<string, Pending[]>();
  const flushing = new Set<string>();
  const cache = createLedgerCache(CACHE_LIMITS);

  /** Decides the batch from the cache and commits it in one statement; undefined when the cache can't. */
  const decideFromCache = async (org: string, batch: Pending[]): Promise<Outcome[] | undefined> => {
    const cached = cache.get(org);
    if (!cached) return undefined;
    const settles = firstSettlements(batch);
    const settling = new Map<string, SettlingReservation>();
    for (const s of settles) {
      const open = cached.open.get(s.reservationId);
      if (!open) return undefined;
      settling.set(s.reservationId, { ...open, wasOpen: true });
    }
    const read = new Map<string, VersionedMonth>();
    for (const month of batchMonths(batch, settling)) {
      const m = cached.months.get(month);
      if (!m) return undefined;
      read.set(month, m);
    }
    const months = new Map<string, MonthFigures>(
      [...read].map(([month, m]) => [month, { spent: m.spent, reserved: m.reserved, alerted: m.alerted }]),
    );
    const { outcomes, accepted } = applyBatch({ batch, cap: cached.cap, months, settling });
    const written = new Map<string, VersionedMonth>(
      [...months].map(([month, m]) => [month, { ...m, version: read.get(month)!.version }]),
    );
    await fastCommit(db, { org, cap: cached.cap, months: written, settles, accepted });
    for (const m of written.values()) m.version += 1;
    cache.record(org, {
      written: { cap: cached.cap, months: written },
      settledIds: settles.map((s) => s.reservationId),
      accepted,
    });
    return outcomes;
  };

  const decideUnderLocks = async (org: string, batch: Pending[]) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const locked = await lockingCommit(db, org, batch);
        cache.record(org, {
          written: locked.written,
          settledIds: locked.settles.map((s) => s.reservationId),
          accepted: locked.accepted,
        });
        return locked.outcomes;
      } catch (error) {
        const code = errorCode(error);
        if (attempt >= RETRIES || !RETRYABLE.has(code as string)) throw error;
      }
    }
  };

  const decide = async (org: string, batch: Pending[]) => {
    try {
      const outcomes = await decideFromCache(org, batch);
      if (outcomes) return outcomes;
    } catch (error) {
      // Whatever failed, the cache may no longer match the rows.
      cache.forgetRows(org);
      const code = errorCode(error);
      if (code !== FAST_COMMIT_CONFLICT && !RETRYABLE.has(code as string)) throw error;
    }
    try {
      return await decideUnderLocks(org, batch);
    } catch (error) {
      cache.forgetRows(org);
      throw error;
    }
  };

  const flush = async (org: string) => {
    // Let the I/O callbacks already due queue their calls first: with PGlite a commit blocks the
    // thread, so nothing could queue behind it and every batch would hold one call.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      const queue = queues.get(org) ?? [];
      if (queue.length === 0) {
        queues.delete(org);
        flushing.delete(org);
        return;
      }
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await decide(org, batch);
        for (const [i, p] of batch.entries()) p.resolve(outcomes[i] as never);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  };

  const enqueue = (org: string, pending: Pending) => {
    const queue = queues.get(org);
    if (queue) queue.push(pending);
    else queues.set(org, [pending]);
    if (!flushing.has(org)) {
      flushing.add(org);
      void flush(org);
    }
  };

  return {
    ...ledger,
    reserve: (input) =>
      new Promise<ReserveOutcome>((resolve, reject) =>
        enqueue(input.org, { kind: 'reserve', input, resolve, reject }),
      ),
    settle: (input) =>
      new Promise<SettleOutcome | null>((resolve, reject) =>
        enqueue(input.org, { kind: 'settle', input, resolve, reject }),
      ),
  };
}

import { type Kysely, sql } from 'kysely';
import type { BudgetLedger, ReserveOutcome, SettleOutcome } from './ledger.js';
import { monthOf, newlyCrossed } from './thresholds.js';

type ReserveInput = Parameters<BudgetLedger['reserve']>[0];
type SettleInput = Parameters<BudgetLedger['settle']>[0];

type Pending =
  | { kind: 'reserve'; input: ReserveInput; resolve(outcome: ReserveOutcome): void; reject(e: unknown): void }
  | {
      kind: 'settle';
      input: SettleInput;
      resolve(outcome: SettleOutcome | null): void;
      reject(e: unknown): void;
    };

interface MonthRow {
  spent: number;
  reserved: number;
  alerted: number;
}

const MAX_BATCH = 500;
const RETRIES = 3;
// Deadlock and serialisation failures are decided again from scratch; nothing of the batch was committed.
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Group commit for the budget's hot row: reservations and settlements of one org queue while a
 * transaction holds the org's month rows, and the next transaction decides them all in arrival order
 * under those row locks and commits once. Exactness is that of one statement per call (the row lock is
 * the serialisation point across processes); the hot row is locked and flushed once per batch.
 * Locks are taken reservations first, then months, in the order `expire` takes them.
 */
export function withBatchedLedger(options: { ledger: BudgetLedger; db: Kysely<unknown> }): BudgetLedger {
  const { ledger, db } = options;
  const queues = new Map<string, Pending[]>();
  const flushing = new Set<string>();

  const decide = (org: string, batch: Pending[]) =>
    db.transaction().execute(async (trx) => {
      const reserves = batch.filter((p) => p.kind === 'reserve');
      const firstSettle = new Map<string, SettleInput>();
      for (const p of batch) {
        if (p.kind === 'settle' && !firstSettle.has(p.input.reservationId))
          firstSettle.set(p.input.reservationId, p.input);
      }
      const settles = [...firstSettle.values()];
      const settled = new Map<string, { month: string; amount: number; wasOpen: boolean }>();
      if (settles.length > 0) {
        const { rows } = await sql<{ id: string; month: string; amount: string; prior_state: string }>`
          WITH t AS (
            SELECT * FROM unnest(
              ${settles.map((s) => s.reservationId)}::text[],
              ${settles.map((s) => s.actualMicros)}::bigint[],
              ${settles.map((s) => s.now.toISOString())}::timestamptz[]
            ) AS t(id, actual, at)
          ),
          prior AS (
            SELECT r.id, r.month, r.amount_micros, r.state FROM budget_reservations r
            WHERE r.org = ${org} AND r.id IN (SELECT id FROM t) AND r.state IN ('open', 'expired')
            FOR UPDATE
          )
          UPDATE budget_reservations b
          SET state = 'settled', actual_micros = t.actual, settled_at = t.at
          FROM prior, t WHERE b.org = ${org} AND b.id = prior.id AND t.id = prior.id
          RETURNING b.id, prior.month, prior.amount_micros AS amount, prior.state AS prior_state`.execute(
          trx,
        );
        for (const r of rows)
          settled.set(r.id, { month: r.month, amount: Number(r.amount), wasOpen: r.prior_state === 'open' });
      }

      const months = [
        ...new Set([
          ...reserves.map((p) => monthOf(p.input.now)),
          ...[...settled.values()].map((s) => s.month),
        ]),
      ].sort();
      // One statement creates missing month rows, locks them all and reads them with the cap.
      const locked = await sql<{
        month: string;
        spent: string;
        reserved: string;
        alerted: string;
        cap: string | null;
      }>`
        INSERT INTO budget_months AS b (org, month, spent_micros, reserved_micros)
        SELECT ${org}, month, 0, 0 FROM unnest(${months}::text[]) AS t(month) ORDER BY month
        ON CONFLICT (org, month) DO UPDATE SET alerted = b.alerted
        RETURNING b.month, b.spent_micros AS spent, b.reserved_micros AS reserved, b.alerted,
          (SELECT cap_micros FROM budget_caps WHERE org = ${org}) AS cap`.execute(trx);
      const capValue = locked.rows[0]?.cap;
      const cap = capValue == null ? null : Number(capValue);
      const state = new Map<string, MonthRow>(
        locked.rows.map((r) => [
          r.month,
          { spent: Number(r.spent), reserved: Number(r.reserved), alerted: Number(r.alerted) },
        ]),
      );

      const accepted: ReserveInput[] = [];
      const settledOnce = new Set<string>();
      const outcomes = batch.map((p): ReserveOutcome | SettleOutcome | null => {
        if (p.kind === 'settle') {
          const { reservationId, actualMicros } = p.input;
          const row = settled.get(reservationId);
          if (!row || settledOnce.has(reservationId)) return null;
          settledOnce.add(reservationId);
          const m = state.get(row.month)!;
          m.spent += actualMicros;
          if (row.wasOpen) m.reserved -= row.amount;
          const alerts = newlyCrossed({ spentMicros: m.spent, capMicros: cap, alreadyAlerted: m.alerted });
          if (alerts.length > 0) m.alerted = alerts.at(-1)!;
          return {
            month: row.month,
            capMicros: cap,
            spentMicros: m.spent,
            reservedMicros: m.reserved,
            settled: true,
            reservedAmountMicros: row.amount,
            alerts,
          };
        }
        const month = monthOf(p.input.now);
        const m = state.get(month)!;
        const amount = p.input.amountMicros;
        if (cap !== null && m.spent + m.reserved + amount > cap) {
          return { ok: false, month, capMicros: cap, spentMicros: m.spent, reservedMicros: m.reserved };
        }
        m.reserved += amount;
        accepted.push(p.input);
        return {
          ok: true,
          reservationId: p.input.reservationId,
          month,
          capMicros: cap,
          spentMicros: m.spent,
          reservedMicros: m.reserved,
        };
      });

      // The month figures and the new reservations are written by one statement.
      await sql`
        WITH months AS (
          UPDATE budget_months b SET spent_micros = t.spent, reserved_micros = t.reserved, alerted = t.alerted
          FROM unnest(
            ${[...state.keys()]}::text[],
            ${[...state.values()].map((m) => m.spent)}::bigint[],
            ${[...state.values()].map((m) => m.reserved)}::bigint[],
            ${[...state.values()].map((m) => m.alerted)}::smallint[]
          ) AS t(month, spent, reserved, alerted)
          WHERE b.org = ${org} AND b.month = t.month
        )
        INSERT INTO budget_reservations (org, id, month, amount_micros, state, created_at, expires_at)
        SELECT ${org}, id, month, amount, 'open', created, expires FROM unnest(
          ${accepted.map((r) => r.reservationId)}::text[],
          ${accepted.map((r) => monthOf(r.now))}::text[],
          ${accepted.map((r) => r.amountMicros)}::bigint[],
          ${accepted.map((r) => r.now.toISOString())}::timestamptz[],
          ${accepted.map((r) => new Date(r.now.getTime() + r.ttlSeconds * 1000).toISOString())}::timestamptz[]
        ) AS t(id, month, amount, created, expires)`.execute(trx);
      return outcomes;
    });

  const decideWithRetry = async (org: string, batch: Pending[]) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await decide(org, batch);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= RETRIES || !code || !RETRYABLE.has(code)) throw error;
      }
    }
  };

  const flush = async (org: string) => {
    for (;;) {
      const queue = queues.get(org) ?? [];
      if (queue.length === 0) {
        queues.delete(org);
        flushing.delete(org);
        return;
      }
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await decideWithRetry(org, batch);
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

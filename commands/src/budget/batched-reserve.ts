import { type Kysely, sql } from 'kysely';
import type { BudgetLedger, ReserveOutcome } from './ledger.js';
import { monthOf } from './thresholds.js';

type ReserveInput = Parameters<BudgetLedger['reserve']>[0];

interface Pending {
  input: ReserveInput;
  resolve(outcome: ReserveOutcome): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 500;

/**
 * Group commit for reservations: concurrent calls of one org queue while a transaction holds the
 * org's month row, and the next transaction decides them all in arrival order under that row lock
 * and commits once. Exactness is the same as one conditional upsert per call (the row lock is the
 * serialisation point across processes); the hot row is locked and flushed once per batch, not per call.
 */
export function withBatchedReservations(options: {
  ledger: BudgetLedger;
  db: Kysely<unknown>;
}): BudgetLedger {
  const { ledger, db } = options;
  const queues = new Map<string, Pending[]>();
  const flushing = new Set<string>();

  const decide = (batch: Pending[], month: string) =>
    db.transaction().execute(async (trx) => {
      const org = batch[0]!.input.org;
      await sql`INSERT INTO budget_months (org, month, spent_micros, reserved_micros) VALUES (${org}, ${month}, 0, 0)
        ON CONFLICT (org, month) DO NOTHING`.execute(trx);
      const { rows } = await sql<{ spent: string; reserved: string; cap: string | null }>`
        SELECT spent_micros AS spent, reserved_micros AS reserved,
          (SELECT cap_micros FROM budget_caps WHERE org = ${org}) AS cap
        FROM budget_months WHERE org = ${org} AND month = ${month} FOR UPDATE`.execute(trx);
      const row = rows[0]!;
      const spent = Number(row.spent);
      const cap = row.cap === null ? null : Number(row.cap);
      let reserved = Number(row.reserved);
      const accepted: Pending[] = [];
      const outcomes = batch.map((pending): ReserveOutcome => {
        const amount = pending.input.amountMicros;
        if (cap !== null && spent + reserved + amount > cap) {
          return { ok: false, month, capMicros: cap, spentMicros: spent, reservedMicros: reserved };
        }
        reserved += amount;
        accepted.push(pending);
        return {
          ok: true,
          reservationId: pending.input.reservationId,
          month,
          capMicros: cap,
          spentMicros: spent,
          reservedMicros: reserved,
        };
      });
      if (accepted.length > 0) {
        await sql`UPDATE budget_months SET reserved_micros = ${reserved}::bigint
          WHERE org = ${org} AND month = ${month}`.execute(trx);
        const at = (p: Pending) => p.input.now;
        await sql`
          INSERT INTO budget_reservations (org, id, month, amount_micros, state, created_at, expires_at)
          SELECT ${org}, id, ${month}, amount, 'open', created, expires FROM unnest(
            ${accepted.map((p) => p.input.reservationId)}::text[],
            ${accepted.map((p) => p.input.amountMicros)}::bigint[],
            ${accepted.map((p) => at(p).toISOString())}::timestamptz[],
            ${accepted.map((p) => new Date(at(p).getTime() + p.input.ttlSeconds * 1000).toISOString())}::timestamptz[]
          ) AS t(id, amount, created, expires)`.execute(trx);
      }
      return outcomes;
    });

  const flush = async (org: string) => {
    for (;;) {
      const queue = queues.get(org) ?? [];
      if (queue.length === 0) {
        queues.delete(org);
        flushing.delete(org);
        return;
      }
      const batch = queue.splice(0, MAX_BATCH);
      // A batch spans one month; a call that arrives as the month turns waits for the next one.
      const month = monthOf(batch[0]!.input.now);
      const same = batch.filter((p) => monthOf(p.input.now) === month);
      queue.unshift(...batch.filter((p) => monthOf(p.input.now) !== month));
      try {
        const outcomes = await decide(same, month);
        for (const [i, p] of same.entries()) p.resolve(outcomes[i]!);
      } catch (error) {
        for (const p of same) p.reject(error);
      }
    }
  };

  return {
    ...ledger,
    reserve(input) {
      return new Promise<ReserveOutcome>((resolve, reject) => {
        const queue = queues.get(input.org);
        if (queue) queue.push({ input, resolve, reject });
        else queues.set(input.org, [{ input, resolve, reject }]);
        if (!flushing.has(input.org)) {
          flushing.add(input.org);
          void flush(input.org);
        }
      });
    },
  };
}

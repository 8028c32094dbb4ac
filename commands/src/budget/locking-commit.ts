import { type Kysely, sql } from 'kysely';
import { reservationArrays, settlementArrays } from './batch-columns.js';
import {
  applyBatch,
  batchMonths,
  firstSettlements,
  type MonthFigures,
  type Outcome,
  type Pending,
  type ReserveInput,
  type SettleInput,
  type SettlingReservation,
} from './batch-decision.js';
import type { VersionedMonth } from './fast-commit.js';

export interface LockedBatch {
  outcomes: Outcome[];
  /** The first settlement of each reservation the batch named, whether or not it found one to settle. */
  settles: SettleInput[];
  accepted: ReserveInput[];
  /** The cap and month rows as they stand after the commit; absent when the batch touched no month. */
  written?: { cap: number | null; months: Map<string, VersionedMonth> };
}

/**
 * Decides a batch in one transaction under row locks: mark the batch's reservations settled (locking them),
 * create-or-lock the month rows and read them with the cap in one statement, apply the batch, then write the
 * month figures and the new reservations in one statement. Reservations are locked before months, in the
 * order `expire` takes them, so the sweeper and a batch cannot deadlock.
 */
export function lockingCommit(db: Kysely<unknown>, org: string, batch: Pending[]): Promise<LockedBatch> {
  return db.transaction().execute(async (trx) => {
    const settles = firstSettlements(batch);
    const settling = new Map<string, SettlingReservation>();
    if (settles.length > 0) {
      const { rows } = await sql<{ id: string; month: string; amount: string; prior_state: string }>`
        WITH t AS (
          SELECT * FROM unnest(${settlementArrays(settles)}) AS t(id, actual, at)
        ),
        prior AS (
          SELECT r.id, r.month, r.amount_micros, r.state FROM budget_reservations r
          WHERE r.org = ${org} AND r.id IN (SELECT id FROM t) AND r.state IN ('open', 'expired')
          FOR UPDATE
        )
        UPDATE budget_reservations b
        SET state = 'settled', actual_micros = t.actual, settled_at = t.at
        FROM prior, t WHERE b.org = ${org} AND b.id = prior.id AND t.id = prior.id
        RETURNING b.id, prior.month, prior.amount_micros AS amount, prior.state AS prior_state`.execute(trx);
      for (const r of rows)
        settling.set(r.id, { month: r.month, amount: Number(r.amount), wasOpen: r.prior_state === 'open' });
    }

    // One statement creates missing month rows, locks them all and reads them with the cap. It changes no
    // figure, so it leaves the version to the write below, which bumps every row it locked.
    const locked = await sql<{
      month: string;
      spent: string;
      reserved: string;
      alerted: string;
      version: string;
      cap: string | null;
    }>`
      INSERT INTO budget_months AS b (org, month, spent_micros, reserved_micros)
      SELECT ${org}, month, 0, 0 FROM unnest(${batchMonths(batch, settling)}::text[]) AS t(month) ORDER BY month
      ON CONFLICT (org, month) DO UPDATE SET alerted = b.alerted
      RETURNING b.month, b.spent_micros AS spent, b.reserved_micros AS reserved, b.alerted, b.version,
        (SELECT cap_micros FROM budget_caps WHERE org = ${org}) AS cap`.execute(trx);
    const capValue = locked.rows[0]?.cap;
    const cap = capValue == null ? null : Number(capValue);
    const months = new Map<string, MonthFigures>(
      locked.rows.map((r) => [
        r.month,
        { spent: Number(r.spent), reserved: Number(r.reserved), alerted: Number(r.alerted) },
      ]),
    );
    const { outcomes, accepted } = applyBatch({ batch, cap, months, settling });

    await sql`
      WITH months AS (
        UPDATE budget_months b
        SET spent_micros = t.spent, reserved_micros = t.reserved, alerted = t.alerted, version = b.version + 1
        FROM unnest(
          ${[...months.keys()]}::text[],
          ${[...months.values()].map((m) => m.spent)}::bigint[],
          ${[...months.values()].map((m) => m.reserved)}::bigint[],
          ${[...months.values()].map((m) => m.alerted)}::smallint[]
        ) AS t(month, spent, reserved, alerted)
        WHERE b.org = ${org} AND b.month = t.month
      )
      INSERT INTO budget_reservations (org, id, month, amount_micros, state, created_at, expires_at)
      SELECT ${org}, id, month, amount, 'open', created, expires
      FROM unnest(${reservationArrays(accepted)}) AS t(id, month, amount, created, expires)`.execute(trx);

    if (locked.rows.length === 0) return { outcomes, settles, accepted };
    // The rows stay locked until the commit, so the version written is the one read plus one.
    const written = new Map<string, VersionedMonth>(
      locked.rows.map((r) => [r.month, { ...months.get(r.month)!, version: Number(r.version) + 1 }]),
    );
    return { outcomes, settles, accepted, written: { cap, months: written } };
  });
}

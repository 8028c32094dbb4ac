import { type Kysely, sql } from 'kysely';
import { type AlertThreshold, monthOf, newlyCrossed } from './thresholds.js';

const NO_CAP = '9223372036854775807';
const n = (v: unknown): number => Number(v ?? 0);
const capOf = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export interface BudgetFigures {
  month: string;
  capMicros: number | null;
  spentMicros: number;
  reservedMicros: number;
}

export type ReserveOutcome =
  | ({ ok: true; reservationId: string } & BudgetFigures)
  | ({ ok: false; capMicros: number } & Omit<BudgetFigures, 'capMicros'>);

export interface SettleOutcome extends BudgetFigures {
  /** False when the reservation was already settled (a repeat settle changes nothing). */
  settled: boolean;
  reservedAmountMicros: number;
  alerts: AlertThreshold[];
}

export interface GrantedLease extends BudgetFigures {
  leaseId: string;
  amountMicros: number;
  expiresAt: string;
}

export interface DueLease {
  org: string;
  id: string;
  month: string;
  amountMicros: number;
}

export interface ExpiredReservation {
  org: string;
  id: string;
  month: string;
  amountMicros: number;
}

/**
 * The budget's serialisation point. `reserve` is one conditional upsert on the org's month row, which
 * Postgres locks, so concurrent reservations (across processes) can never push spent + reserved past
 * the cap. `settle` is idempotent per reservation. Every statement is scoped by org.
 */
export interface BudgetLedger {
  setCap(options: { org: string; capMicros: number | null; now: Date }): Promise<void>;
  reserve(options: {
    org: string;
    reservationId: string;
    amountMicros: number;
    now: Date;
    ttlSeconds: number;
  }): Promise<ReserveOutcome>;
  settle(options: {
    org: string;
    reservationId: string;
    actualMicros: number;
    now: Date;
  }): Promise<SettleOutcome | null>;
  /**
   * Holds a slice of the org's remaining cap for a process to reserve calls from in memory: at most
   * `targetMicros` and at most `1/share` of what spent and reserved leave under the cap (all of the target
   * without a cap); null when that is less than `minMicros`. One transaction on the org's month row, the
   * serialisation point of every reservation, so live leases + reserved + spent never pass the cap.
   */
  grantLease(options: {
    org: string;
    leaseId: string;
    targetMicros: number;
    minMicros: number;
    share: number;
    now: Date;
    ttlSeconds: number;
  }): Promise<GrantedLease | null>;
  /** Live leases past their expiry (their holder died): the sweeper appends their expiry events. */
  dueLeases(options: { now: Date; limit?: number }): Promise<DueLease[]>;
  /** Releases reservations past their expiry (their call died); returns what it released. */
  expire(options: { now: Date }): Promise<ExpiredReservation[]>;
  /**
   * Open reservations past their expiry, without touching them: the sweeper appends their expiry events,
   * and the rows follow from the events (see `budget_apply_events`).
   */
  due(options: { now: Date; limit?: number }): Promise<ExpiredReservation[]>;
  /**
   * Claims the alert thresholds the month's spend has crossed and no one has claimed yet (a conditional
   * update, so two settlements crossing one threshold together raise it once).
   */
  claimAlerts(options: { org: string; month: string }): Promise<{
    alerts: AlertThreshold[];
    spentMicros: number;
    capMicros: number | null;
  }>;
  /** Models called this month without a price (settled at 0), most called first. */
  unpricedModels(options: { org: string; month: string }): Promise<{ model: string; calls: number }[]>;
  figures(options: { org: string; now: Date }): Promise<BudgetFigures>;
  /** Spend settled in the seven days before `now`, for the rolling forecast. */
  lastSevenDaysMicros(options: { org: string; now: Date }): Promise<number>;
  recentCosts(options: { org: string; limit: number }): Promise<number[]>;
}

export function createBudgetLedger(options: { db: Kysely<unknown> }): BudgetLedger {
  const { db } = options;
  const capSql = (org: string) => sql`(SELECT cap_micros FROM budget_caps WHERE org = ${org})`;

  const figures: BudgetLedger['figures'] = async ({ org, now }) => {
    const month = monthOf(now);
    const { rows } = await sql<{ cap: unknown; spent: unknown; reserved: unknown }>`
      SELECT ${capSql(org)} AS cap,
        (SELECT spent_micros FROM budget_months WHERE org = ${org} AND month = ${month}) AS spent,
        (SELECT reserved_micros FROM budget_months WHERE org = ${org} AND month = ${month}) AS reserved`.execute(
      db,
    );
    const row = rows[0];
    return {
      month,
      capMicros: capOf(row?.cap),
      spentMicros: n(row?.spent),
      reservedMicros: n(row?.reserved),
    };
  };

  return {
    async setCap({ org, capMicros, now }) {
      await sql`
        INSERT INTO budget_caps (org, cap_micros) VALUES (${org}, ${capMicros}::bigint)
        ON CONFLICT (org) DO UPDATE SET cap_micros = EXCLUDED.cap_micros`.execute(db);
      await sql`
        UPDATE budget_months SET alerted = 0, version = version + 1
        WHERE org = ${org} AND month = ${monthOf(now)}`.execute(db);
    },

    async reserve({ org, reservationId, amountMicros, now, ttlSeconds }) {
      const month = monthOf(now);
      const expires = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
      const { rows } = await sql<{ spent: unknown; reserved: unknown; cap: unknown }>`
        WITH cap AS (SELECT coalesce(${capSql(org)}, ${NO_CAP}::bigint) AS v),
        m AS (
          INSERT INTO budget_months AS b (org, month, spent_micros, reserved_micros)
          SELECT ${org}, ${month}, 0, ${amountMicros}::bigint FROM cap WHERE ${amountMicros}::bigint <= cap.v
          ON CONFLICT (org, month) DO UPDATE
          SET reserved_micros = b.reserved_micros + EXCLUDED.reserved_micros, version = b.version + 1
          WHERE b.spent_micros + b.reserved_micros + EXCLUDED.reserved_micros <= (SELECT v FROM cap)
          RETURNING b.spent_micros AS spent, b.reserved_micros AS reserved
        ),
        r AS (
          INSERT INTO budget_reservations (org, id, month, amount_micros, state, created_at, expires_at)
          SELECT ${org}, ${reservationId}, ${month}, ${amountMicros}::bigint, 'open', ${now.toISOString()}, ${expires}
          FROM m
        )
        SELECT spent, reserved, ${capSql(org)} AS cap FROM m`.execute(db);
      const row = rows[0];
      if (row) {
        return {
          ok: true,
          reservationId,
          month,
          capMicros: capOf(row.cap),
          spentMicros: n(row.spent),
          reservedMicros: n(row.reserved),
        };
      }
      const current = await figures({ org, now });
      return { ...current, ok: false, capMicros: current.capMicros ?? 0 };
    },

    async settle({ org, reservationId, actualMicros, now }) {
      const { rows } = await sql<{
        month: string;
        amount: unknown;
        spent: unknown;
        reserved: unknown;
        alerted: unknown;
        cap: unknown;
      }>`
        WITH prior AS (
          SELECT id, month, amount_micros, state FROM budget_reservations
          WHERE org = ${org} AND id = ${reservationId} AND state IN ('open', 'expired') FOR UPDATE
        ),
        r AS (
          UPDATE budget_reservations b
          SET state = 'settled', actual_micros = ${actualMicros}::bigint, settled_at = ${now.toISOString()}
          FROM prior WHERE b.org = ${org} AND b.id = prior.id
          RETURNING prior.month, prior.amount_micros, prior.state AS prior_state
        )
        UPDATE budget_months m
        SET spent_micros = m.spent_micros + ${actualMicros}::bigint,
            reserved_micros = m.reserved_micros - CASE WHEN r.prior_state = 'open' THEN r.amount_micros ELSE 0 END,
            version = m.version + 1
        FROM r WHERE m.org = ${org} AND m.month = r.month
        RETURNING r.month, r.amount_micros AS amount, m.spent_micros AS spent, m.reserved_micros AS reserved,
          m.alerted, ${capSql(org)} AS cap`.execute(db);
      const row = rows[0];
      if (!row) return null;
      const base = {
        month: row.month,
        capMicros: capOf(row.cap),
        spentMicros: n(row.spent),
        reservedMicros: n(row.reserved),
        settled: true,
        reservedAmountMicros: n(row.amount),
      };
      const crossed = newlyCrossed({ ...base, alreadyAlerted: n(row.alerted) });
      if (crossed.length === 0) return { ...base, alerts: [] };
      const level = crossed.at(-1)!;
      const claimed = await sql<{ old: unknown }>`
        UPDATE budget_months m SET alerted = ${level}, version = m.version + 1
        FROM (SELECT alerted FROM budget_months WHERE org = ${org} AND month = ${row.month} FOR UPDATE) o
        WHERE m.org = ${org} AND m.month = ${row.month} AND o.alerted < ${level}
        RETURNING o.alerted AS old`.execute(db);
      const old = claimed.rows[0];
      return { ...base, alerts: old ? crossed.filter((t) => t > n(old.old)) : [] };
    },

    async expire({ now }) {
      const due = await sql<{ org: string }>`
        SELECT DISTINCT org FROM budget_reservations
        WHERE state = 'open' AND expires_at < ${now.toISOString()}`.execute(db);
      const out: ExpiredReservation[] = [];
      for (const { org } of due.rows) {
        const { rows } = await sql<{ id: string; month: string; amount: unknown }>`
          WITH r AS (
            UPDATE budget_reservations SET state = 'expired'
            WHERE org = ${org} AND state = 'open' AND expires_at < ${now.toISOString()}
            RETURNING id, month, amount_micros
          ),
          per_month AS (SELECT month, sum(amount_micros) AS total FROM r GROUP BY month),
          m AS (
            UPDATE budget_months b
            SET reserved_micros = b.reserved_micros - per_month.total, version = b.version + 1
            FROM per_month WHERE b.org = ${org} AND b.month = per_month.month
          )
          SELECT id, month, amount_micros AS amount FROM r`.execute(db);
        for (const r of rows) out.push({ org, id: r.id, month: r.month, amountMicros: n(r.amount) });
      }
      return out;
    },

    grantLease({ org, leaseId, targetMicros, minMicros, share, now, ttlSeconds }) {
      const month = monthOf(now);
      const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
      return db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ spent: unknown; reserved: unknown; cap: unknown }>`
          INSERT INTO budget_months AS b (org, month, spent_micros, reserved_micros)
          VALUES (${org}, ${month}, 0, 0)
          ON CONFLICT (org, month) DO UPDATE SET alerted = b.alerted
          RETURNING b.spent_micros AS spent, b.reserved_micros AS reserved, ${capSql(org)} AS cap`.execute(
          trx,
        );
        const row = rows[0]!;
        const capMicros = capOf(row.cap);
        const spentMicros = n(row.spent);
        const reservedMicros = n(row.reserved);
        const amountMicros =
          capMicros === null
            ? targetMicros
            : Math.min(targetMicros, Math.floor((capMicros - spentMicros - reservedMicros) / share));
        if (amountMicros < minMicros) return null;
        await sql`
          WITH m AS (
            UPDATE budget_months SET reserved_micros = reserved_micros + ${amountMicros}::bigint, version = version + 1
            WHERE org = ${org} AND month = ${month}
          )
          INSERT INTO budget_leases (org, id, month, amount_micros, state, created_at, expires_at)
          VALUES (${org}, ${leaseId}, ${month}, ${amountMicros}::bigint, 'live', ${now.toISOString()}, ${expiresAt})`.execute(
          trx,
        );
        return { leaseId, month, amountMicros, expiresAt, capMicros, spentMicros, reservedMicros };
      });
    },

    async dueLeases({ now, limit = 1_000 }) {
      const { rows } = await sql<{ org: string; id: string; month: string; amount: unknown }>`
        SELECT org, id, month, amount_micros AS amount FROM budget_leases
        WHERE state = 'live' AND expires_at < ${now.toISOString()}
        ORDER BY expires_at LIMIT ${limit}`.execute(db);
      return rows.map((r) => ({ org: r.org, id: r.id, month: r.month, amountMicros: n(r.amount) }));
    },

    async due({ now, limit = 1_000 }) {
      const { rows } = await sql<{ org: string; id: string; month: string; amount: unknown }>`
        SELECT org, id, month, amount_micros AS amount FROM budget_reservations
        WHERE state = 'open' AND expires_at < ${now.toISOString()}
        ORDER BY org, expires_at LIMIT ${limit}`.execute(db);
      return rows.map((r) => ({ org: r.org, id: r.id, month: r.month, amountMicros: n(r.amount) }));
    },

    async claimAlerts({ org, month }) {
      const { rows } = await sql<{ spent: unknown; alerted: unknown; cap: unknown }>`
        SELECT m.spent_micros AS spent, m.alerted, ${capSql(org)} AS cap
        FROM budget_months m WHERE m.org = ${org} AND m.month = ${month}`.execute(db);
      const row = rows[0];
      const capMicros = capOf(row?.cap);
      const spentMicros = n(row?.spent);
      const crossed = newlyCrossed({ spentMicros, capMicros, alreadyAlerted: n(row?.alerted) });
      if (crossed.length === 0) return { alerts: [], spentMicros, capMicros };
      const level = crossed.at(-1)!;
      const claimed = await sql<{ old: unknown }>`
        UPDATE budget_months m SET alerted = ${level}, version = m.version + 1
        FROM (SELECT alerted FROM budget_months WHERE org = ${org} AND month = ${month} FOR UPDATE) o
        WHERE m.org = ${org} AND m.month = ${month} AND o.alerted < ${level}
        RETURNING o.alerted AS old`.execute(db);
      const old = claimed.rows[0];
      return { alerts: old ? crossed.filter((t) => t > n(old.old)) : [], spentMicros, capMicros };
    },

    async unpricedModels({ org, month }) {
      const { rows } = await sql<{ model: string; calls: unknown }>`
        SELECT model, calls FROM budget_unpriced_models WHERE org = ${org} AND month = ${month}
        ORDER BY calls DESC, model LIMIT 100`.execute(db);
      return rows.map((r) => ({ model: r.model, calls: n(r.calls) }));
    },

    figures,

    async lastSevenDaysMicros({ org, now }) {
      const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
      const { rows } = await sql<{ total: unknown }>`
        SELECT coalesce(sum(actual_micros), 0) AS total FROM budget_reservations
        WHERE org = ${org} AND state = 'settled' AND settled_at >= ${since}`.execute(db);
      return n(rows[0]?.total);
    },

    async recentCosts({ org, limit }) {
      const { rows } = await sql<{ actual: unknown }>`
        SELECT actual_micros AS actual FROM budget_reservations
        WHERE org = ${org} AND state = 'settled' ORDER BY settled_at DESC LIMIT ${limit}`.execute(db);
      return rows.map((r) => n(r.actual));
    },
  };
}

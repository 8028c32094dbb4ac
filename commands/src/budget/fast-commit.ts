import { type Kysely, sql } from 'kysely';
import { reservationArrays, settlementArrays } from './batch-columns.js';
import type { ReserveInput, SettleInput } from './batch-decision.js';

/** SQLSTATE raised by `budget_fast_commit` when a row it relies on changed since the process read it. */
export const FAST_COMMIT_CONFLICT = 'PPB01';

/**
 * Commits a batch decided from cached rows, all or nothing, in one statement (its own transaction).
 * It takes reservations before months, the lock order of `expire` and of the locking path. A reservation
 * no longer open, a month row whose version moved or a different cap raises FAST_COMMIT_CONFLICT, which
 * rolls back whatever the function already wrote. The cap is compared here rather than having `setCap`
 * bump month versions: the cap has writers of its own (setCap, rebuild) and a version bump would have to
 * be atomic with each of them, while one primary-key read here cannot be forgotten by a future writer.
 * Under READ COMMITTED a row changed by a transaction that committed while this one waited for its lock
 * is re-checked against its new version, so a lost race is a conflict, never a stale write.
 */
export const CREATE_FAST_COMMIT_FUNCTION = sql`
  CREATE FUNCTION budget_fast_commit(
    p_org text, p_cap bigint,
    p_months text[], p_versions bigint[], p_spent bigint[], p_reserved bigint[], p_alerted smallint[],
    p_settle_ids text[], p_settle_actuals bigint[], p_settle_ats timestamptz[],
    p_new_ids text[], p_new_months text[], p_new_amounts bigint[],
    p_new_created timestamptz[], p_new_expires timestamptz[]
  ) RETURNS void LANGUAGE plpgsql AS $fn$
  DECLARE
    changed bigint;
  BEGIN
    UPDATE budget_reservations r SET state = 'settled', actual_micros = t.actual, settled_at = t.at
    FROM unnest(p_settle_ids, p_settle_actuals, p_settle_ats) AS t(id, actual, at)
    WHERE r.org = p_org AND r.id = t.id AND r.state = 'open';
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed <> cardinality(p_settle_ids) THEN
      RAISE EXCEPTION 'budget reservation of % is no longer open', p_org USING ERRCODE = 'PPB01';
    END IF;

    UPDATE budget_months b
    SET spent_micros = t.spent, reserved_micros = t.reserved, alerted = t.alerted, version = b.version + 1
    FROM unnest(p_months, p_versions, p_spent, p_reserved, p_alerted) AS t(month, version, spent, reserved, alerted)
    WHERE b.org = p_org AND b.month = t.month AND b.version = t.version;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed <> cardinality(p_months) THEN
      RAISE EXCEPTION 'budget month of % changed underneath', p_org USING ERRCODE = 'PPB01';
    END IF;

    IF (SELECT cap_micros FROM budget_caps WHERE org = p_org) IS DISTINCT FROM p_cap THEN
      RAISE EXCEPTION 'budget cap of % changed underneath', p_org USING ERRCODE = 'PPB01';
    END IF;

    INSERT INTO budget_reservations (org, id, month, amount_micros, state, created_at, expires_at)
    SELECT p_org, t.id, t.month, t.amount, 'open', t.created, t.expires
    FROM unnest(p_new_ids, p_new_months, p_new_amounts, p_new_created, p_new_expires)
      AS t(id, month, amount, created, expires);
  END
  $fn$`;

export interface VersionedMonth {
  spent: number;
  reserved: number;
  alerted: number;
  version: number;
}

export interface FastCommit {
  org: string;
  cap: number | null;
  /** Figures to write, each with the version they were decided from. */
  months: Map<string, VersionedMonth>;
  settles: SettleInput[];
  accepted: ReserveInput[];
}

export async function fastCommit(db: Kysely<unknown>, commit: FastCommit): Promise<void> {
  const { org, cap, settles, accepted } = commit;
  const months = [...commit.months];
  await sql`
    SELECT budget_fast_commit(
      ${org}, ${cap}::bigint,
      ${months.map(([month]) => month)}::text[],
      ${months.map(([, m]) => m.version)}::bigint[],
      ${months.map(([, m]) => m.spent)}::bigint[],
      ${months.map(([, m]) => m.reserved)}::bigint[],
      ${months.map(([, m]) => m.alerted)}::smallint[],
      ${settlementArrays(settles)},
      ${reservationArrays(accepted)}
    )`.execute(db);
}

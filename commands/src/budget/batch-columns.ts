import { sql } from 'kysely';
import type { ReserveInput, SettleInput } from './batch-decision.js';
import { monthOf } from './thresholds.js';

/** A batch's settlements as SQL arrays, for `unnest`: id, actual cost, time. */
export const settlementArrays = (settles: SettleInput[]) =>
  sql.join([
    sql`${settles.map((s) => s.reservationId)}::text[]`,
    sql`${settles.map((s) => s.actualMicros)}::bigint[]`,
    sql`${settles.map((s) => s.now.toISOString())}::timestamptz[]`,
  ]);

/** A batch's accepted reservations as SQL arrays, for `unnest`: id, month, amount, created, expires. */
export const reservationArrays = (accepted: ReserveInput[]) =>
  sql.join([
    sql`${accepted.map((r) => r.reservationId)}::text[]`,
    sql`${accepted.map((r) => monthOf(r.now))}::text[]`,
    sql`${accepted.map((r) => r.amountMicros)}::bigint[]`,
    sql`${accepted.map((r) => r.now.toISOString())}::timestamptz[]`,
    sql`${accepted.map((r) => new Date(r.now.getTime() + r.ttlSeconds * 1000).toISOString())}::timestamptz[]`,
  ]);

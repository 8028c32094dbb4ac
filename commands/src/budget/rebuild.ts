import type { EventStore } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { BUDGET_EVENT_TYPES, emptyBudgetModel, evolveBudget } from './fold.js';

const PAGE = 5_000;

/**
 * Replaces one org's budget rows by a fold of its budget events (cap set, reserved, settled, expired,
 * alert raised, prices set, provider anomalies detected and acknowledged, leases granted, released and expired); a month row without events is left at zero. Reservations still open after the fold keep
 * their ledger expiry of `ttlSeconds` from the event's time, so the sweeper releases them as it would have.
 */
export async function rebuildBudget(options: {
  db: Kysely<unknown>;
  store: EventStore;
  org: string;
  ttlSeconds: number;
}): Promise<{ events: number }> {
  const { db, store, org, ttlSeconds } = options;
  const model = emptyBudgetModel();
  const types = new Set<string>(BUDGET_EVENT_TYPES);
  let events = 0;
  for (let fromSeq = 1; ; ) {
    const page = await store.readOrg({ org, fromSeq, limit: PAGE });
    for (const e of page) {
      if (!types.has(e.type)) continue;
      evolveBudget(model, e);
      events += 1;
    }
    if (page.length < PAGE) break;
    fromSeq = page.at(-1)!.seq + 1;
  }
  await db.transaction().execute(async (trx) => {
    await sql`DELETE FROM budget_reservations WHERE org = ${org}`.execute(trx);
    await sql`DELETE FROM budget_leases WHERE org = ${org}`.execute(trx);
    for (const [id, l] of model.leases)
      await sql`
        INSERT INTO budget_leases (org, id, month, amount_micros, consumed_micros, state, created_at, expires_at)
        VALUES (${org}, ${id}, ${l.month}, ${l.amountMicros}, ${l.consumedMicros}, ${l.state}, ${l.createdAt},
          ${l.expiresAt})`.execute(trx);
    await sql`DELETE FROM budget_caps WHERE org = ${org}`.execute(trx);
    await sql`
      INSERT INTO budget_caps (org, cap_micros, open_anomalies)
      VALUES (${org}, ${model.capMicros}::bigint, ${model.openAnomalies})`.execute(trx);
    await sql`DELETE FROM budget_prices WHERE org = ${org}`.execute(trx);
    if (model.prices)
      await sql`
        INSERT INTO budget_prices (org, models, default_price)
        VALUES (${org}, ${JSON.stringify(model.prices.models)}::jsonb,
          ${model.prices.defaultPrice === null ? null : JSON.stringify(model.prices.defaultPrice)}::jsonb)`.execute(
        trx,
      );
    await sql`DELETE FROM budget_unpriced_models WHERE org = ${org}`.execute(trx);
    for (const u of model.unpriced.values())
      await sql`
        INSERT INTO budget_unpriced_models (org, month, model, calls, last_at)
        VALUES (${org}, ${u.month}, ${u.model}, ${u.calls}, ${u.lastAt})`.execute(trx);
    // Month rows are zeroed and overwritten, never deleted: a row deleted and created again would restart
    // its version at 0 and could reach a version a batched ledger cached for different figures.
    await sql`
      UPDATE budget_months SET spent_micros = 0, reserved_micros = 0, alerted = 0, version = version + 1
      WHERE org = ${org}`.execute(trx);
    for (const [month, m] of model.months) {
      await sql`
        INSERT INTO budget_months AS b (org, month, spent_micros, reserved_micros, alerted)
        VALUES (${org}, ${month}, ${m.spentMicros}, ${m.reservedMicros}, ${m.alerted})
        ON CONFLICT (org, month) DO UPDATE
        SET spent_micros = EXCLUDED.spent_micros, reserved_micros = EXCLUDED.reserved_micros,
          alerted = EXCLUDED.alerted, version = b.version + 1`.execute(trx);
    }
    for (const [id, r] of model.reservations) {
      const expires = new Date(Date.parse(r.createdAt) + ttlSeconds * 1000).toISOString();
      await sql`
        INSERT INTO budget_reservations
          (org, id, month, amount_micros, state, actual_micros, created_at, expires_at, settled_at)
        VALUES (${org}, ${id}, ${r.month}, ${r.amountMicros}, ${r.state}, ${r.actualMicros}::bigint,
          ${r.createdAt}, ${expires}, ${r.settledAt})`.execute(trx);
    }
  });
  return { events };
}

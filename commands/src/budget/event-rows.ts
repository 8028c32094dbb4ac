import { sql } from 'kysely';

/** The event types whose rows the database derives as they are appended (see `budget_apply_events`). */
const DERIVED_BEFORE_LEASES = [
  'cp.gate.budget.settled',
  'cp.gate.budget.expired',
  'cp.budget.cap.set',
  'cp.budget.prices.set',
  'cp.cost.provider_anomaly.detected',
  'cp.cost.provider_anomaly.acknowledged',
] as const;

export const DERIVED_EVENT_TYPES = [
  ...DERIVED_BEFORE_LEASES,
  'cp.budget.lease.released',
  'cp.budget.lease.expired',
] as const;

const typeList = (types: readonly string[]) => sql.raw(types.map((t) => `'${t}'`).join(', '));

/**
 * A settlement naming a lease (the call reserved from a process's lease, in memory) writes the call's
 * settled reservation row, charges its actual cost to the lease and moves it from the month's reserved to
 * its spent; against a lease no longer live (expired: its holder was presumed dead) the spend still counts.
 */
const LEASED_SETTLEMENT_TEXT = `
        INSERT INTO budget_reservations
          (org, id, month, amount_micros, state, actual_micros, created_at, expires_at, settled_at)
        VALUES (e.org, d ->> 'reservationId', d ->> 'month', (d ->> 'reservedMicros')::bigint, 'settled',
          actual, e.time, e.time, e.time)
        ON CONFLICT (org, id) DO NOTHING;
        IF FOUND THEN
          UPDATE budget_leases l SET consumed_micros = l.consumed_micros + actual
          WHERE l.org = e.org AND l.id = d ->> 'leaseId'
          RETURNING l.month, l.state INTO r;
          IF FOUND THEN
            UPDATE budget_months m
            SET spent_micros = m.spent_micros + actual,
                reserved_micros = m.reserved_micros - CASE WHEN r.state = 'live' THEN actual ELSE 0 END,
                version = m.version + 1
            WHERE m.org = e.org AND m.month = r.month;
          ELSE
            INSERT INTO budget_months AS m (org, month, spent_micros, reserved_micros)
            VALUES (e.org, d ->> 'month', actual, 0)
            ON CONFLICT (org, month) DO UPDATE
            SET spent_micros = m.spent_micros + actual, version = m.version + 1;
          END IF;
        END IF;`;

// Placed before the plain settlement's `IF`, which its trailing `ELS` turns into `ELSIF`.
const LEASED_BRANCH = sql.raw(`IF e.type = 'cp.gate.budget.settled' AND d ? 'leaseId' THEN
        actual := (d ->> 'actualMicros')::bigint;${LEASED_SETTLEMENT_TEXT}
        IF d ? 'unpricedModel' THEN
          INSERT INTO budget_unpriced_models AS u (org, month, model, calls, last_at)
          VALUES (e.org, d ->> 'month', d ->> 'unpricedModel', 1, e.time)
          ON CONFLICT (org, month, model) DO UPDATE SET calls = u.calls + 1, last_at = EXCLUDED.last_at;
        END IF;
      ELS`);

/** A lease given back or expired returns to the cap what its settled calls did not spend. */
const LEASE_END = sql.raw(`
      ELSIF e.type IN ('cp.budget.lease.released', 'cp.budget.lease.expired') THEN
        UPDATE budget_leases l
        SET state = CASE WHEN e.type = 'cp.budget.lease.released' THEN 'released' ELSE 'expired' END
        WHERE l.org = e.org AND l.id = d ->> 'leaseId' AND l.state = 'live'
        RETURNING l.month, l.amount_micros - l.consumed_micros AS unused INTO r;
        IF FOUND THEN
          UPDATE budget_months m
          SET reserved_micros = m.reserved_micros - greatest(0, r.unused), version = m.version + 1
          WHERE m.org = e.org AND m.month = r.month;
        END IF;`);

/**
 * The budget rows an event implies are written by the statement that inserts the event, so they commit
 * together or not at all, whichever process appends and however it dies. A statement-level trigger on
 * `events` reads the inserted rows of the types above, in chain order, and applies each as `rebuildBudget`'s
 * fold does:
 *
 * - settled: the reservation (open or expired) becomes settled with its actual cost; the month's spent
 *   grows by it and its reserved shrinks by the reservation if it was still open. A settlement of a
 *   reservation the ledger never held, or already settled, changes nothing; an unpriced model is counted.
 * - expired: an open reservation is released.
 * - cap set: the cap, and this month's alert level back to none.
 * - prices set: the org's own prices.
 * - provider anomaly detected / acknowledged: the count of anomalies an admin has not acknowledged.
 *
 * Reservations themselves are written by the ledger before the provider call (they are the call's hold on
 * the cap) and released by the settlement here; a hold whose call died is released by the sweeper's expiry.
 */
const applyEventsFunction = (options: { replace: boolean; leases: boolean }) => sql`
  CREATE ${sql.raw(options.replace ? 'OR REPLACE ' : '')}FUNCTION budget_apply_events() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    e record;
    d jsonb;
    r record;
    actual bigint;
  BEGIN
    FOR e IN
      SELECT org, seq, type, time, body FROM appended
      WHERE type IN (${typeList(options.leases ? DERIVED_EVENT_TYPES : DERIVED_BEFORE_LEASES)}) ORDER BY org, seq
    LOOP
      d := (e.body::jsonb) -> 'data';
      ${options.leases ? LEASED_BRANCH : sql.raw('')}IF e.type = 'cp.gate.budget.settled' THEN
        actual := (d ->> 'actualMicros')::bigint;
        WITH prior AS (
          SELECT id, month, amount_micros, state FROM budget_reservations
          WHERE org = e.org AND id = d ->> 'reservationId' AND state IN ('open', 'expired') FOR UPDATE
        )
        UPDATE budget_reservations b
        SET state = 'settled', actual_micros = actual, settled_at = e.time
        FROM prior WHERE b.org = e.org AND b.id = prior.id
        RETURNING prior.month, prior.amount_micros, prior.state INTO r;
        IF FOUND THEN
          UPDATE budget_months m
          SET spent_micros = m.spent_micros + actual,
              reserved_micros = m.reserved_micros - CASE WHEN r.state = 'open' THEN r.amount_micros ELSE 0 END,
              version = m.version + 1
          WHERE m.org = e.org AND m.month = r.month;
        END IF;
        IF d ? 'unpricedModel' THEN
          INSERT INTO budget_unpriced_models AS u (org, month, model, calls, last_at)
          VALUES (e.org, d ->> 'month', d ->> 'unpricedModel', 1, e.time)
          ON CONFLICT (org, month, model) DO UPDATE SET calls = u.calls + 1, last_at = EXCLUDED.last_at;
        END IF;
      ELSIF e.type = 'cp.gate.budget.expired' THEN
        UPDATE budget_reservations b SET state = 'expired'
        WHERE b.org = e.org AND b.id = d ->> 'reservationId' AND b.state = 'open'
        RETURNING b.month, b.amount_micros INTO r;
        IF FOUND THEN
          UPDATE budget_months m
          SET reserved_micros = m.reserved_micros - r.amount_micros, version = m.version + 1
          WHERE m.org = e.org AND m.month = r.month;
        END IF;
      ELSIF e.type = 'cp.budget.cap.set' THEN
        INSERT INTO budget_caps AS c (org, cap_micros) VALUES (e.org, (d ->> 'monthlyCapMicros')::bigint)
        ON CONFLICT (org) DO UPDATE SET cap_micros = EXCLUDED.cap_micros;
        UPDATE budget_months m SET alerted = 0, version = m.version + 1
        WHERE m.org = e.org AND m.month = to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM');
      ELSIF e.type = 'cp.budget.prices.set' THEN
        INSERT INTO budget_prices AS p (org, models, default_price)
        VALUES (e.org, d -> 'models', CASE WHEN jsonb_typeof(d -> 'defaultPrice') = 'object' THEN d -> 'defaultPrice' END)
        ON CONFLICT (org) DO UPDATE SET models = EXCLUDED.models, default_price = EXCLUDED.default_price;
      ELSIF e.type = 'cp.cost.provider_anomaly.detected' THEN
        INSERT INTO budget_caps AS c (org, cap_micros, open_anomalies) VALUES (e.org, NULL, 1)
        ON CONFLICT (org) DO UPDATE SET open_anomalies = c.open_anomalies + 1;${options.leases ? LEASE_END : sql.raw('')}
      ELSIF e.type = 'cp.cost.provider_anomaly.acknowledged' THEN
        UPDATE budget_caps c
        SET open_anomalies = greatest(0, c.open_anomalies - (d ->> 'acknowledged')::int)
        WHERE c.org = e.org;
      END IF;
    END LOOP;
    RETURN NULL;
  END
  $fn$`;

/** Migration 0003: the function as it was first created, then the trigger. */
export const CREATE_APPLY_EVENTS_TRIGGER = [
  applyEventsFunction({ replace: false, leases: false }),
  sql`
  CREATE TRIGGER budget_apply_events AFTER INSERT ON events
  REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION budget_apply_events()`,
];

/** Migration 0004: the same function, now also applying leased settlements and the end of leases. */
export const REPLACE_APPLY_EVENTS_WITH_LEASES = applyEventsFunction({ replace: true, leases: true });

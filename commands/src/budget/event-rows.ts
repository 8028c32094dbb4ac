import { sql } from 'kysely';

/** The event types whose rows the database derives as they are appended (see `budget_apply_events`). */
export const DERIVED_EVENT_TYPES = [
  'cp.gate.budget.settled',
  'cp.gate.budget.expired',
  'cp.budget.cap.set',
  'cp.budget.prices.set',
  'cp.cost.provider_anomaly.detected',
  'cp.cost.provider_anomaly.acknowledged',
] as const;

const typeList = sql.raw(DERIVED_EVENT_TYPES.map((t) => `'${t}'`).join(', '));

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
export const CREATE_APPLY_EVENTS_TRIGGER = [
  sql`
  CREATE FUNCTION budget_apply_events() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    e record;
    d jsonb;
    r record;
    actual bigint;
  BEGIN
    FOR e IN
      SELECT org, seq, type, time, body FROM appended WHERE type IN (${typeList}) ORDER BY org, seq
    LOOP
      d := (e.body::jsonb) -> 'data';
      IF e.type = 'cp.gate.budget.settled' THEN
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
        ON CONFLICT (org) DO UPDATE SET open_anomalies = c.open_anomalies + 1;
      ELSIF e.type = 'cp.cost.provider_anomaly.acknowledged' THEN
        UPDATE budget_caps c
        SET open_anomalies = greatest(0, c.open_anomalies - (d ->> 'acknowledged')::int)
        WHERE c.org = e.org;
      END IF;
    END LOOP;
    RETURN NULL;
  END
  $fn$`,
  sql`
  CREATE TRIGGER budget_apply_events AFTER INSERT ON events
  REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION budget_apply_events()`,
];

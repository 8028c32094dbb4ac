import { type Kysely, sql } from 'kysely';

export type CostDimension = 'user' | 'apikey' | 'model' | 'agent';
export const costDimensions: readonly CostDimension[] = ['user', 'apikey', 'model', 'agent'];

export interface CostAnomaly {
  seq: number;
  time: string;
  subject: string;
  model: string;
  costMicros: number;
  averageMicros: number;
  factor: number;
}

export interface CostSummary {
  month: string;
  monthToDateMicros: number;
  calls: number;
  tokens: number;
  capMicros: number | null;
  reservedMicros: number;
  forecasts: {
    /** Month to date divided by the days elapsed (today included), times the days in the month. */
    linearMonthEndMicros: number;
    /** Month to date plus the last 7 days' daily average for each remaining day. */
    rolling7DayMonthEndMicros: number;
    /** The higher of the two, plus 10 %. */
    worstCaseMicros: number;
  };
  anomalies: CostAnomaly[];
}

export interface CostDay {
  day: string;
  costMicros: number;
  calls: number;
  tokens: number;
}

export interface CostTopEntry {
  key: string;
  costMicros: number;
  calls: number;
  tokens: number;
}

/**
 * Anomalies on calls cheaper than this (one cent, in micro-dollars) are not listed: the gateway no
 * longer raises them (the same floor as commands' `ANOMALY_FLOOR_MICROS`), and those recorded before
 * it did are noise against an average of fractions of a cent.
 */
export const LISTED_ANOMALY_FLOOR_MICROS = 10_000;

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

export async function costSummary(options: {
  db: Kysely<unknown>;
  org: string;
  now: Date;
}): Promise<CostSummary> {
  const { db, org, now } = options;
  const month = now.toISOString().slice(0, 7);
  const today = startOfDay(now);
  const dayOfMonth = now.getUTCDate();
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  const monthStart = `${month}-01`;
  const [totals, last7, cap, reserved, anomalies] = await Promise.all([
    sql<{ cost: string | null; calls: string | null; tokens: string | null }>`
      SELECT sum(cost_micros) AS cost, sum(calls) AS calls, sum(tokens) AS tokens FROM cost_daily
      WHERE org = ${org} AND day >= ${monthStart}::date AND day <= ${isoDay(today)}::date`.execute(db),
    sql<{ cost: string | null }>`
      SELECT sum(cost_micros) AS cost FROM cost_daily
      WHERE org = ${org} AND day > ${isoDay(today - 7 * DAY_MS)}::date AND day <= ${isoDay(today)}::date`.execute(
      db,
    ),
    sql<{ cap_micros: string | null }>`SELECT cap_micros FROM cost_budget WHERE org = ${org}`.execute(db),
    sql<{ amount: string | null }>`
      SELECT sum(amount_micros) AS amount FROM cost_reservations WHERE org = ${org} AND month = ${month}`.execute(
      db,
    ),
    sql<{
      seq: string;
      time: Date | string;
      subject: string;
      model: string;
      cost_micros: string;
      average_micros: string;
      factor: number;
    }>`
      SELECT seq, time, subject, model, cost_micros, average_micros, factor FROM cost_anomalies
      WHERE org = ${org} AND time >= ${monthStart}::timestamptz AND cost_micros >= ${LISTED_ANOMALY_FLOOR_MICROS}
      ORDER BY seq DESC LIMIT 20`.execute(db),
  ]);
  const mtd = Number(totals.rows[0]?.cost ?? 0);
  const linear = Math.round((mtd / dayOfMonth) * daysInMonth);
  const rolling = mtd + Math.round((Number(last7.rows[0]?.cost ?? 0) / 7) * (daysInMonth - dayOfMonth));
  const capRow = cap.rows[0];
  return {
    month,
    monthToDateMicros: mtd,
    calls: Number(totals.rows[0]?.calls ?? 0),
    tokens: Number(totals.rows[0]?.tokens ?? 0),
    capMicros: capRow?.cap_micros == null ? null : Number(capRow.cap_micros),
    reservedMicros: Number(reserved.rows[0]?.amount ?? 0),
    forecasts: {
      linearMonthEndMicros: linear,
      rolling7DayMonthEndMicros: rolling,
      worstCaseMicros: Math.round(Math.max(linear, rolling) * 1.1),
    },
    anomalies: anomalies.rows.map((a) => ({
      seq: Number(a.seq),
      time: new Date(a.time).toISOString(),
      subject: a.subject,
      model: a.model,
      costMicros: Number(a.cost_micros),
      averageMicros: Number(a.average_micros),
      factor: a.factor,
    })),
  };
}

/** The last `days` days up to today (UTC), oldest first, days without spend included as zeros. */
export async function costDaily(options: {
  db: Kysely<unknown>;
  org: string;
  days: number;
  now: Date;
}): Promise<CostDay[]> {
  const { db, org, days, now } = options;
  const today = startOfDay(now);
  const first = today - (days - 1) * DAY_MS;
  const { rows } = await sql<{ day: string; cost_micros: string; calls: number; tokens: string }>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, cost_micros, calls, tokens FROM cost_daily
    WHERE org = ${org} AND day >= ${isoDay(first)}::date AND day <= ${isoDay(today)}::date`.execute(db);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const day = isoDay(first + i * DAY_MS);
    const row = byDay.get(day);
    return {
      day,
      costMicros: Number(row?.cost_micros ?? 0),
      calls: Number(row?.calls ?? 0),
      tokens: Number(row?.tokens ?? 0),
    };
  });
}

/** The month's biggest spenders along one dimension, highest cost first. */
export async function costTop(options: {
  db: Kysely<unknown>;
  org: string;
  by: CostDimension;
  now: Date;
  limit: number;
}): Promise<CostTopEntry[]> {
  const { db, org, by, now, limit } = options;
  const { rows } = await sql<{ key: string; cost_micros: string; calls: number; tokens: string }>`
    SELECT key, cost_micros, calls, tokens FROM cost_top
    WHERE org = ${org} AND month = ${now.toISOString().slice(0, 7)} AND dimension = ${by}
    ORDER BY cost_micros DESC, key LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    key: r.key,
    costMicros: Number(r.cost_micros),
    calls: Number(r.calls),
    tokens: Number(r.tokens),
  }));
}

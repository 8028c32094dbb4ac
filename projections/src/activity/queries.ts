import { type Kysely, sql } from 'kysely';

export interface ActivityTotals {
  calls: number;
  refusals: number;
  costMicros: number;
}

export interface ActivityHour extends ActivityTotals {
  /** The hour's start, ISO 8601 UTC. */
  hour: string;
}

export interface ActivitySummary {
  /** The last 60 minutes, to the minute. */
  lastHour: ActivityTotals;
  /** The 24 hourly buckets below, summed. */
  last24h: ActivityTotals;
  /** 24 UTC hours, oldest first, the current (partial) hour last, zeros included. */
  hours: ActivityHour[];
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Mission Control's summary: one query over at most 1,440 minute rows of one org. */
export async function activitySummary(options: {
  db: Kysely<unknown>;
  org: string;
  now: Date;
}): Promise<ActivitySummary> {
  const { db, org, now } = options;
  const currentHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const firstHour = currentHour - 23 * HOUR_MS;
  const hourAgo = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - 59 * MINUTE_MS;
  const { rows } = await sql<{ minute: Date | string; calls: number; refusals: number; cost_micros: string }>`
    SELECT minute, calls, refusals, cost_micros FROM activity_minutes
    WHERE org = ${org} AND minute >= ${new Date(firstHour).toISOString()}::timestamptz
      AND minute <= ${now.toISOString()}::timestamptz`.execute(db);
  const hours: ActivityHour[] = Array.from({ length: 24 }, (_, i) => ({
    hour: new Date(firstHour + i * HOUR_MS).toISOString(),
    calls: 0,
    refusals: 0,
    costMicros: 0,
  }));
  const lastHour: ActivityTotals = { calls: 0, refusals: 0, costMicros: 0 };
  for (const row of rows) {
    const at = new Date(row.minute).getTime();
    const bucket = hours[Math.floor((at - firstHour) / HOUR_MS)];
    const add = (t: ActivityTotals) => {
      t.calls += Number(row.calls);
      t.refusals += Number(row.refusals);
      t.costMicros += Number(row.cost_micros);
    };
    if (bucket) add(bucket);
    if (at >= hourAgo) add(lastHour);
  }
  const last24h = hours.reduce<ActivityTotals>(
    (sum, h) => ({
      calls: sum.calls + h.calls,
      refusals: sum.refusals + h.refusals,
      costMicros: sum.costMicros + h.costMicros,
    }),
    { calls: 0, refusals: 0, costMicros: 0 },
  );
  return { lastHour, last24h, hours };
}

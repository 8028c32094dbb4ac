import { type Kysely, sql } from 'kysely';

export type DriftAlertStatus = 'open' | 'suppressed' | 'recovered';

/** One hour of a skill's outcomes. */
export interface DriftBucket {
  skill: string;
  bucket: string;
  runs: number;
  passed: number;
  l3Checked: number;
  l3Flagged: number;
}

export interface DriftWindowView {
  from: string;
  to: string;
  n: number;
  adverse: number;
  rate: number;
}

export interface DriftAlertItem {
  id: string;
  skill: string;
  signal: 'pass_rate' | 'hallucination_rate';
  status: DriftAlertStatus;
  raisedAt: string;
  baseline: DriftWindowView;
  recent: DriftWindowView;
  statistic: number;
  threshold: number;
  recoveredAt: string | null;
  suppression: {
    until: string | null;
    untilRecovered: boolean;
    reason: string;
    by: string;
    at: string;
  } | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const int = (value: unknown) => Number(value ?? 0);

/** The org's buckets in `[from, to)`, oldest first; one skill, or every skill. */
export async function driftBuckets(
  db: Kysely<unknown>,
  options: { org: string; skill?: string | undefined; from: string; to: string },
): Promise<DriftBucket[]> {
  const { rows } = await sql<{
    skill: string;
    bucket: Date | string;
    runs: number;
    passed: number;
    l3_checked: number;
    l3_flagged: number;
  }>`
    SELECT skill, bucket, runs, passed, l3_checked, l3_flagged FROM quality_drift_buckets
    WHERE org = ${options.org} ${options.skill ? sql`AND skill = ${options.skill}` : sql``}
      AND bucket >= ${options.from}::timestamptz AND bucket < ${options.to}::timestamptz
    ORDER BY bucket, skill LIMIT 100000`.execute(db);
  return rows.map((r) => ({
    skill: r.skill,
    bucket: iso(r.bucket),
    runs: int(r.runs),
    passed: int(r.passed),
    l3Checked: int(r.l3_checked),
    l3Flagged: int(r.l3_flagged),
  }));
}

/** The (org, skill) pairs the evaluator looks at: outcomes since `since`, or an alert still open. */
export async function driftMonitoredSkills(
  db: Kysely<unknown>,
  options: { since: string },
): Promise<{ org: string; skill: string }[]> {
  const { rows } = await sql<{ org: string; skill: string }>`
    SELECT DISTINCT org, skill FROM quality_drift_buckets WHERE bucket >= ${options.since}::timestamptz
    UNION
    SELECT org, skill FROM quality_drift_alerts WHERE recovered_at IS NULL
    ORDER BY org, skill`.execute(db);
  return rows;
}

interface AlertRow {
  alert_id: string;
  skill: string;
  signal: DriftAlertItem['signal'];
  raised_at: Date | string;
  baseline: DriftWindowView | string;
  recent: DriftWindowView | string;
  statistic: number;
  threshold: number;
  recovered_at: Date | string | null;
  suppressed_until: Date | string | null;
  suppressed_until_recovered: boolean;
  suppressed_reason: string | null;
  suppressed_by: string | null;
  suppressed_at: Date | string | null;
}

const parsed = (value: DriftWindowView | string): DriftWindowView =>
  typeof value === 'string' ? (JSON.parse(value) as DriftWindowView) : value;

/** An alert's status now: recovered, or suppressed while its suppression lasts, otherwise open. */
const statusSql = (now: string) => sql`CASE
  WHEN recovered_at IS NOT NULL THEN 'recovered'
  WHEN suppressed_until_recovered OR suppressed_until > ${now}::timestamptz THEN 'suppressed'
  ELSE 'open' END`;

function itemOf(r: AlertRow, now: string): DriftAlertItem {
  const status: DriftAlertStatus =
    r.recovered_at !== null
      ? 'recovered'
      : r.suppressed_until_recovered ||
          (r.suppressed_until !== null && Date.parse(iso(r.suppressed_until)) > Date.parse(now))
        ? 'suppressed'
        : 'open';
  return {
    id: r.alert_id,
    skill: r.skill,
    signal: r.signal,
    status,
    raisedAt: iso(r.raised_at),
    baseline: parsed(r.baseline),
    recent: parsed(r.recent),
    statistic: Number(r.statistic),
    threshold: Number(r.threshold),
    recoveredAt: r.recovered_at === null ? null : iso(r.recovered_at),
    suppression:
      r.suppressed_at === null
        ? null
        : {
            until: r.suppressed_until === null ? null : iso(r.suppressed_until),
            untilRecovered: r.suppressed_until_recovered,
            reason: r.suppressed_reason ?? '',
            by: r.suppressed_by ?? '',
            at: iso(r.suppressed_at),
          },
  };
}

/** A page cursor: the last row's time and id, opaque to clients; undefined when it does not parse. */
export const encodeDriftCursor = (time: string, id: string) =>
  Buffer.from(JSON.stringify([time, id])).toString('base64url');

export function decodeDriftCursor(cursor: string): { time: string; id: string } | undefined {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof time !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(time)))
      return undefined;
    return { time, id };
  } catch {
    return undefined;
  }
}

const SELECT_ALERT = sql`SELECT alert_id, skill, signal, raised_at, baseline, recent, statistic, threshold,
  recovered_at, suppressed_until, suppressed_until_recovered, suppressed_reason, suppressed_by, suppressed_at
  FROM quality_drift_alerts`;

/** The org's drift alerts, newest first, by status and skill. */
export async function listDriftAlerts(
  db: Kysely<unknown>,
  options: {
    org: string;
    now: string;
    status?: DriftAlertStatus | undefined;
    skill?: string | undefined;
    after?: { time: string; id: string } | undefined;
    limit: number;
  },
): Promise<{ alerts: DriftAlertItem[]; next: string | null }> {
  const { org, now, status, skill, after, limit } = options;
  const { rows } = await sql<AlertRow>`${SELECT_ALERT}
    WHERE org = ${org}
      ${skill ? sql`AND skill = ${skill}` : sql``}
      ${status ? sql`AND ${statusSql(now)} = ${status}` : sql``}
      ${after ? sql`AND (raised_at, alert_id) < (${after.time}::timestamptz, ${after.id})` : sql``}
    ORDER BY raised_at DESC, alert_id DESC LIMIT ${limit + 1}`.execute(db);
  const alerts = rows.slice(0, limit).map((r) => itemOf(r, now));
  const last = alerts.at(-1);
  return { alerts, next: rows.length > limit && last ? encodeDriftCursor(last.raisedAt, last.id) : null };
}

export async function getDriftAlert(
  db: Kysely<unknown>,
  options: { org: string; alertId: string; now: string },
): Promise<DriftAlertItem | undefined> {
  const { rows } = await sql<AlertRow>`${SELECT_ALERT}
    WHERE org = ${options.org} AND alert_id = ${options.alertId}`.execute(db);
  return rows[0] && itemOf(rows[0], options.now);
}

/** The open (not recovered) alert of each (skill, signal) of an org, with its frozen baseline. */
export async function openDriftAlerts(
  db: Kysely<unknown>,
  options: { org: string; skill: string },
): Promise<{ alertId: string; signal: DriftAlertItem['signal']; baseline: DriftWindowView }[]> {
  const { rows } = await sql<{
    alert_id: string;
    signal: DriftAlertItem['signal'];
    baseline: DriftWindowView | string;
  }>`
    SELECT alert_id, signal, baseline FROM quality_drift_alerts
    WHERE org = ${options.org} AND skill = ${options.skill} AND recovered_at IS NULL`.execute(db);
  return rows.map((r) => ({ alertId: r.alert_id, signal: r.signal, baseline: parsed(r.baseline) }));
}

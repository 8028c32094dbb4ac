import { type Kysely, sql } from 'kysely';

export interface CrossVendorModelRef {
  provider: string;
  model: string;
}

export interface CrossVendorSuiteSummary {
  id: string;
  name: string;
  cases: number;
  providers: CrossVendorModelRef[];
  judge: CrossVendorModelRef | null;
  schedule: string | null;
  createdAt: string;
}

export interface CrossVendorRunListItem {
  id: string;
  suiteId: string;
  name: string;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  error: string | null;
  providers: CrossVendorModelRef[];
  judge: CrossVendorModelRef | null;
  cases: number;
  startedAt: string;
  endedAt: string | null;
}

export interface CrossVendorAnswerCell {
  provider: number;
  status: 'answered' | 'failed';
  error: string | null;
  valid: boolean;
  problems: string[];
  answer: string | null;
  fields: Record<string, string | null>;
  costMicros: number;
  latencyMs: number;
  skillRunId: string | null;
}

export interface CrossVendorPairCell {
  a: number;
  b: number;
  severity: 'critical' | 'warning' | 'info';
  reason: string;
  diffs: { path: string; a: string | null; b: string | null }[];
  judge: { runId: string; verdict: string; costMicros: number; error?: string } | null;
}

export interface CrossVendorMatrix {
  run: CrossVendorRunListItem;
  counts: { critical: number; warning: number; info: number };
  costMicros: number;
  cases: { index: number; answers: CrossVendorAnswerCell[]; pairs: CrossVendorPairCell[] }[];
}

const iso = (value: Date | string) => new Date(value).toISOString();
const parsed = <T>(value: unknown): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : (value as T);

/** A page cursor over (time, id), opaque to clients. */
export const encodeCrossVendorCursor = (time: string, id: string) =>
  Buffer.from(JSON.stringify([time, id])).toString('base64url');

export function decodeCrossVendorCursor(cursor: string): { time: string; id: string } | undefined {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof time !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(time)))
      return undefined;
    return { time, id };
  } catch {
    return undefined;
  }
}

interface SuiteRow {
  suite_id: string;
  name: string;
  case_count: number;
  providers: unknown;
  judge: unknown;
  schedule: string | null;
  created_at: Date | string;
}

const suiteOf = (r: SuiteRow): CrossVendorSuiteSummary => ({
  id: r.suite_id,
  name: r.name,
  cases: r.case_count,
  providers: parsed(r.providers),
  judge: parsed(r.judge),
  schedule: r.schedule,
  createdAt: iso(r.created_at),
});

/** The org's suites, newest first. */
export async function listCrossVendorSuites(
  db: Kysely<unknown>,
  options: { org: string; after?: { time: string; id: string } | undefined; limit: number },
): Promise<{ suites: CrossVendorSuiteSummary[]; next: string | null }> {
  const { org, after, limit } = options;
  const { rows } = await sql<SuiteRow>`
    SELECT suite_id, name, case_count, providers, judge, schedule, created_at FROM cross_vendor_suites
    WHERE org = ${org}
      ${after ? sql`AND (created_at, suite_id) < (${after.time}::timestamptz, ${after.id})` : sql``}
    ORDER BY created_at DESC, suite_id DESC LIMIT ${limit + 1}`.execute(db);
  const suites = rows.slice(0, limit).map(suiteOf);
  const last = suites.at(-1);
  return {
    suites,
    next: rows.length > limit && last ? encodeCrossVendorCursor(last.createdAt, last.id) : null,
  };
}

/** Every scheduled suite's definition, across orgs: what the schedule loop reads. */
export async function scheduledCrossVendorSuites(
  db: Kysely<unknown>,
): Promise<{ org: string; definition: unknown }[]> {
  const { rows } = await sql<{ org: string; definition: unknown }>`
    SELECT org, definition FROM cross_vendor_suites WHERE schedule IS NOT NULL ORDER BY org, suite_id`.execute(
    db,
  );
  return rows.map((r) => ({ org: r.org, definition: parsed(r.definition) }));
}

interface RunRow {
  run_id: string;
  suite_id: string;
  name: string;
  trigger_kind: string;
  status: CrossVendorRunListItem['status'];
  error: string | null;
  providers: unknown;
  judge: unknown;
  case_count: number;
  started_at: Date | string;
  ended_at: Date | string | null;
}

const runOf = (r: RunRow): CrossVendorRunListItem => ({
  id: r.run_id,
  suiteId: r.suite_id,
  name: r.name,
  trigger: r.trigger_kind,
  status: r.status,
  error: r.error,
  providers: parsed(r.providers),
  judge: parsed(r.judge),
  cases: r.case_count,
  startedAt: iso(r.started_at),
  endedAt: r.ended_at === null ? null : iso(r.ended_at),
});

/** The org's cross-vendor runs, newest first, optionally of one suite. */
export async function listCrossVendorRuns(
  db: Kysely<unknown>,
  options: {
    org: string;
    suiteId?: string | undefined;
    after?: { time: string; id: string } | undefined;
    limit: number;
  },
): Promise<{ runs: CrossVendorRunListItem[]; next: string | null }> {
  const { org, suiteId, after, limit } = options;
  const { rows } = await sql<RunRow>`
    SELECT * FROM cross_vendor_runs WHERE org = ${org}
      ${suiteId ? sql`AND suite_id = ${suiteId}` : sql``}
      ${after ? sql`AND (started_at, run_id) < (${after.time}::timestamptz, ${after.id})` : sql``}
    ORDER BY started_at DESC, run_id DESC LIMIT ${limit + 1}`.execute(db);
  const runs = rows.slice(0, limit).map(runOf);
  const last = runs.at(-1);
  return {
    runs,
    next: rows.length > limit && last ? encodeCrossVendorCursor(last.startedAt, last.id) : null,
  };
}

interface AnswerRow {
  case_index: number;
  provider_index: number;
  status: 'answered' | 'failed';
  error: string | null;
  valid: boolean;
  problems: unknown;
  answer: string | null;
  fields: unknown;
  cost_micros: string | number;
  latency_ms: number;
  skill_run_id: string | null;
}

interface PairRow {
  case_index: number;
  a: number;
  b: number;
  severity: CrossVendorPairCell['severity'];
  reason: string;
  diffs: unknown;
  judge: unknown;
}

/** One run's matrix: every case with its answers and pairs, the severity counts and the cost so far. */
export async function crossVendorMatrix(
  db: Kysely<unknown>,
  options: { org: string; runId: string },
): Promise<CrossVendorMatrix | null> {
  const { org, runId } = options;
  const { rows: runs } = await sql<RunRow>`
    SELECT * FROM cross_vendor_runs WHERE org = ${org} AND run_id = ${runId}`.execute(db);
  const row = runs[0];
  if (!row) return null;
  const { rows: answers } = await sql<AnswerRow>`
    SELECT * FROM cross_vendor_answers WHERE org = ${org} AND run_id = ${runId}
    ORDER BY case_index, provider_index`.execute(db);
  const { rows: pairs } = await sql<PairRow>`
    SELECT * FROM cross_vendor_pairs WHERE org = ${org} AND run_id = ${runId} ORDER BY case_index, a, b`.execute(
    db,
  );
  const cases = Array.from({ length: row.case_count }, (_, i) => ({
    index: i,
    answers: [] as CrossVendorAnswerCell[],
    pairs: [] as CrossVendorPairCell[],
  }));
  let costMicros = 0;
  for (const a of answers) {
    costMicros += Number(a.cost_micros);
    cases[a.case_index]?.answers.push({
      provider: a.provider_index,
      status: a.status,
      error: a.error,
      valid: a.valid,
      problems: parsed(a.problems),
      answer: a.answer,
      fields: parsed(a.fields),
      costMicros: Number(a.cost_micros),
      latencyMs: a.latency_ms,
      skillRunId: a.skill_run_id,
    });
  }
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const p of pairs) {
    const judge = parsed<CrossVendorPairCell['judge']>(p.judge);
    costMicros += judge?.costMicros ?? 0;
    counts[p.severity] += 1;
    cases[p.case_index]?.pairs.push({
      a: p.a,
      b: p.b,
      severity: p.severity,
      reason: p.reason,
      diffs: parsed(p.diffs),
      judge,
    });
  }
  return { run: runOf(row), counts, costMicros, cases };
}

import { type Kysely, sql } from 'kysely';

export interface UseCaseListItem {
  id: string;
  status: 'draft' | 'in_review' | 'approved' | 'retired';
  name: string;
  ownerId: string;
  businessUnit: string;
  riskTier: 'prohibited' | 'high' | 'limited' | 'minimal' | null;
  annexIIIArea: string | null;
  runs: number;
  createdAt: string;
  updatedAt: string;
}

export interface UseCaseRunItem {
  runId: string;
  kind: string;
  name: string | null;
  status: string;
  error: string | null;
  costMicros: number;
  startedAt: string;
  completedAt: string | null;
}

/** A page cursor: the last row's time and id, opaque to clients; undefined when it does not parse. */
export const encodeUseCaseCursor = (time: string, id: string) =>
  Buffer.from(JSON.stringify([time, id])).toString('base64url');

export function decodeUseCaseCursor(cursor: string): { time: string; id: string } | undefined {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof time !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(time)))
      return undefined;
    return { time, id };
  } catch {
    return undefined;
  }
}

const iso = (value: Date | string) => new Date(value).toISOString();

interface CaseRow {
  use_case_id: string;
  status: UseCaseListItem['status'];
  name: string;
  owner_id: string;
  business_unit: string;
  risk_tier: UseCaseListItem['riskTier'];
  annex_iii_area: string | null;
  runs: number;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The org's use cases, newest first, optionally in one status or of one tier. */
export async function listUseCases(
  db: Kysely<unknown>,
  options: {
    org: string;
    status?: UseCaseListItem['status'] | undefined;
    tier?: NonNullable<UseCaseListItem['riskTier']> | undefined;
    after?: { time: string; id: string } | undefined;
    limit: number;
  },
): Promise<{ useCases: UseCaseListItem[]; next: string | null }> {
  const { org, status, tier, after, limit } = options;
  const { rows } = await sql<CaseRow>`
    SELECT use_case_id, status, name, owner_id, business_unit, risk_tier, annex_iii_area, runs, created_at, updated_at
    FROM use_cases WHERE org = ${org}
      ${status ? sql`AND status = ${status}` : sql``}
      ${tier ? sql`AND risk_tier = ${tier}` : sql``}
      ${after ? sql`AND (created_at, use_case_id) < (${after.time}::timestamptz, ${after.id})` : sql``}
    ORDER BY created_at DESC, use_case_id DESC LIMIT ${limit + 1}`.execute(db);
  const useCases = rows.slice(0, limit).map(
    (r): UseCaseListItem => ({
      id: r.use_case_id,
      status: r.status,
      name: r.name,
      ownerId: r.owner_id,
      businessUnit: r.business_unit,
      riskTier: r.risk_tier,
      annexIIIArea: r.annex_iii_area,
      runs: r.runs,
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    }),
  );
  const last = useCases.at(-1);
  return {
    useCases,
    next: rows.length > limit && last ? encodeUseCaseCursor(last.createdAt, last.id) : null,
  };
}

interface RunRow {
  run_id: string;
  kind: string | null;
  name: string | null;
  status: string | null;
  error: string | null;
  cost_micros: string | number;
  started_at: Date | string;
  completed_at: Date | string | null;
}

/**
 * The runs that named a case, newest first, each with its outcome and its cost: its own calls and
 * those of the runs nested under it (a workflow's skill steps), from the `runs` read model.
 */
export async function listUseCaseRuns(
  db: Kysely<unknown>,
  options: {
    org: string;
    useCaseId: string;
    after?: { time: string; id: string } | undefined;
    limit: number;
  },
): Promise<{ runs: UseCaseRunItem[]; totalCostMicros: number; next: string | null }> {
  const { org, useCaseId, after, limit } = options;
  // One walk down the run tree from the page's runs, summed per root.
  const { rows } = await sql<RunRow>`
    WITH RECURSIVE roots AS (
      SELECT run_id, started_at FROM use_case_runs
      WHERE org = ${org} AND use_case_id = ${useCaseId}
        ${after ? sql`AND (started_at, run_id) < (${after.time}::timestamptz, ${after.id})` : sql``}
      ORDER BY started_at DESC, run_id DESC LIMIT ${limit + 1}
    ), tree(root, run_id) AS (
      SELECT run_id, run_id FROM roots
      UNION ALL SELECT t.root, r.run_id FROM runs r JOIN tree t ON r.org = ${org} AND r.parent_run_id = t.run_id
    ), costs AS (
      SELECT t.root, sum(x.cost_micros) AS cost FROM tree t JOIN runs x ON x.org = ${org} AND x.run_id = t.run_id
      GROUP BY t.root
    )
    SELECT ro.run_id, r.kind, r.name, r.status, r.error, r.completed_at, ro.started_at,
      coalesce(c.cost, 0) AS cost_micros
    FROM roots ro
      LEFT JOIN runs r ON r.org = ${org} AND r.run_id = ro.run_id
      LEFT JOIN costs c ON c.root = ro.run_id
    ORDER BY ro.started_at DESC, ro.run_id DESC`.execute(db);
  // Every run under the case once, even a nested run that named the case itself.
  const { rows: total } = await sql<{ cost: string | number }>`
    WITH RECURSIVE tree(run_id) AS (
      SELECT run_id FROM use_case_runs WHERE org = ${org} AND use_case_id = ${useCaseId}
      UNION SELECT r.run_id FROM runs r JOIN tree t ON r.org = ${org} AND r.parent_run_id = t.run_id
    )
    SELECT coalesce(sum(x.cost_micros), 0) AS cost FROM tree t JOIN runs x ON x.org = ${org} AND x.run_id = t.run_id`.execute(
    db,
  );
  const runs = rows.slice(0, limit).map(
    (r): UseCaseRunItem => ({
      runId: r.run_id,
      kind: r.kind ?? 'unknown',
      name: r.name,
      status: r.status ?? 'running',
      error: r.error,
      costMicros: Number(r.cost_micros),
      startedAt: iso(r.started_at),
      completedAt: r.completed_at === null ? null : iso(r.completed_at),
    }),
  );
  const last = runs.at(-1);
  return {
    runs,
    totalCostMicros: Number(total[0]?.cost ?? 0),
    next: rows.length > limit && last ? encodeUseCaseCursor(last.startedAt, last.runId) : null,
  };
}

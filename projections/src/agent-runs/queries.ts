import { type Kysely, sql } from 'kysely';
import { type RollupInput, type RunRollup, type RunStatus, rollupOf } from './rollup.js';

export type RunWindow = '24h' | '7d' | '30d';
export const runWindows: Record<RunWindow, number> = { '24h': 1, '7d': 7, '30d': 30 };

export interface RunSummary {
  id: string;
  parentRunId: string | null;
  kind: string | null;
  name: string | null;
  status: RunStatus;
  error: string | null;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  events: number;
  costMicros: number;
  tokens: number;
  rollup: RunRollup;
}

export interface RunNode extends RunSummary {
  children: RunNode[];
}

interface RunRow {
  root: string;
  run_id: string;
  parent_run_id: string | null;
  kind: string | null;
  name: string | null;
  status: Exclude<RunStatus, 'running'> | null;
  error: string | null;
  started_at: Date | string | null;
  completed_at: Date | string | null;
  events: number;
  cost_micros: string;
  tokens: string;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function ownOf(row: RunRow): Omit<RunSummary, 'rollup'> & RollupInput {
  const startedAt = iso(row.started_at);
  const completedAt = iso(row.completed_at);
  return {
    id: row.run_id,
    parentRunId: row.parent_run_id,
    kind: row.kind,
    name: row.name,
    status: row.status ?? 'running',
    error: row.error,
    startedAt,
    completedAt,
    durationMs: startedAt && completedAt ? Date.parse(completedAt) - Date.parse(startedAt) : null,
    events: Number(row.events),
    costMicros: Number(row.cost_micros),
    tokens: Number(row.tokens),
  };
}

/** Every run under each root (UNION stops at a cycle a faulty producer could create). */
const subtrees = (org: string) => sql`
  tree(root, run_id) AS (
    SELECT run_id, run_id FROM roots
    UNION
    SELECT t.root, r.run_id FROM tree t JOIN runs r ON r.org = ${org} AND r.parent_run_id = t.run_id
  )`;

const rowsOf = (org: string) => sql`
  SELECT t.root, r.run_id, r.parent_run_id, r.kind, r.name, r.status, r.error, r.started_at, r.completed_at,
    r.events, r.cost_micros, r.tokens
  FROM tree t JOIN runs r ON r.org = ${org} AND r.run_id = t.run_id`;

/**
 * Runs started in the window, newest first, each with its subtree's rollup. Without `kind`, the
 * top-level runs (no parent, or a parent never seen); with it, the runs of that kind at any depth.
 */
export async function listRuns(options: {
  db: Kysely<unknown>;
  org: string;
  window: RunWindow;
  kind?: string | undefined;
  now: Date;
  limit: number;
}): Promise<RunSummary[]> {
  const { db, org, kind, now, limit } = options;
  const since = new Date(now.getTime() - runWindows[options.window] * 86_400_000).toISOString();
  const scope = kind
    ? sql`r.kind = ${kind}`
    : sql`NOT EXISTS (SELECT 1 FROM runs p WHERE p.org = r.org AND p.run_id = r.parent_run_id)`;
  const { rows } = await sql<RunRow>`
    WITH RECURSIVE roots AS (
      SELECT r.run_id, r.started_at FROM runs r
      WHERE r.org = ${org} AND r.started_at >= ${since}::timestamptz AND ${scope}
      ORDER BY r.started_at DESC, r.run_id LIMIT ${limit}
    ), ${subtrees(org)}
    ${rowsOf(org)}`.execute(db);
  const byRoot = new Map<string, RunRow[]>();
  for (const row of rows) {
    const list = byRoot.get(row.root);
    if (list) list.push(row);
    else byRoot.set(row.root, [row]);
  }
  const summaries: RunSummary[] = [];
  for (const [root, members] of byRoot) {
    const self = members.find((m) => m.run_id === root)!;
    summaries.push({ ...ownOf(self), rollup: rollupOf(members.map(ownOf)) });
  }
  return summaries.sort(
    (a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.id.localeCompare(b.id),
  );
}

/** One run and everything under it, nested, each node with its own subtree's rollup; null if unknown. */
export async function runTree(options: {
  db: Kysely<unknown>;
  org: string;
  runId: string;
}): Promise<RunNode | null> {
  const { db, org, runId } = options;
  const { rows } = await sql<RunRow>`
    WITH RECURSIVE roots AS (SELECT run_id FROM runs WHERE org = ${org} AND run_id = ${runId}),
    ${subtrees(org)}
    ${rowsOf(org)}`.execute(db);
  const children = new Map<string, RunRow[]>();
  for (const row of rows) {
    if (row.parent_run_id === null || row.run_id === runId) continue;
    const list = children.get(row.parent_run_id);
    if (list) list.push(row);
    else children.set(row.parent_run_id, [row]);
  }
  const seen = new Set<string>();
  const build = (row: RunRow): { node: RunNode; members: RollupInput[] } => {
    seen.add(row.run_id);
    const own = ownOf(row);
    const kids = (children.get(row.run_id) ?? [])
      .filter((c) => !seen.has(c.run_id))
      .sort(
        (a, b) =>
          (iso(a.started_at) ?? '').localeCompare(iso(b.started_at) ?? '') ||
          a.run_id.localeCompare(b.run_id),
      )
      .map(build);
    const members = [own, ...kids.flatMap((k) => k.members)];
    return { node: { ...own, rollup: rollupOf(members), children: kids.map((k) => k.node) }, members };
  };
  const root = rows.find((r) => r.run_id === runId);
  return root ? build(root).node : null;
}

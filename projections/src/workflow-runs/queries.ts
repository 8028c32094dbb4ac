import { type Kysely, sql } from 'kysely';

export type WorkflowRunListStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

export interface WorkflowRunListItem {
  id: string;
  workflowId: string;
  version: number;
  name: string | null;
  trigger: string;
  status: WorkflowRunListStatus;
  error: string | null;
  stepsCompleted: number;
  costMicros: number;
  startedAt: string;
  endedAt: string | null;
}

interface ListRow {
  run_id: string;
  workflow_id: string;
  version: number;
  name: string | null;
  trigger_kind: string;
  status: WorkflowRunListStatus;
  error: string | null;
  steps_completed: number;
  cost_micros: string;
  started_at: Date | string;
  ended_at: Date | string | null;
}

/** A page cursor: the last row's start time and id, opaque to clients. */
export const encodeRunCursor = (startedAt: string, runId: string) =>
  Buffer.from(JSON.stringify([startedAt, runId])).toString('base64url');

export function decodeRunCursor(cursor: string): { startedAt: string; runId: string } | undefined {
  try {
    const [startedAt, runId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof startedAt !== 'string' || typeof runId !== 'string' || Number.isNaN(Date.parse(startedAt)))
      return undefined;
    return { startedAt, runId };
  } catch {
    return undefined;
  }
}

/** The org's workflow runs, newest first, optionally of one workflow or in one status. */
export async function listWorkflowRuns(
  db: Kysely<unknown>,
  options: {
    org: string;
    workflowId?: string | undefined;
    status?: WorkflowRunListStatus | undefined;
    after?: { startedAt: string; runId: string } | undefined;
    limit: number;
  },
): Promise<{ runs: WorkflowRunListItem[]; next: string | null }> {
  const { org, workflowId, status, after, limit } = options;
  const { rows } = await sql<ListRow>`
    SELECT run_id, workflow_id, version, name, trigger_kind, status, error, steps_completed, cost_micros,
      started_at, ended_at
    FROM workflow_runs WHERE org = ${org}
      ${workflowId ? sql`AND workflow_id = ${workflowId}` : sql``}
      ${status ? sql`AND status = ${status}` : sql``}
      ${after ? sql`AND (started_at, run_id) < (${after.startedAt}::timestamptz, ${after.runId})` : sql``}
    ORDER BY started_at DESC, run_id DESC LIMIT ${limit + 1}`.execute(db);
  const runs = rows.slice(0, limit).map(
    (r): WorkflowRunListItem => ({
      id: r.run_id,
      workflowId: r.workflow_id,
      version: r.version,
      name: r.name,
      trigger: r.trigger_kind,
      status: r.status,
      error: r.error,
      stepsCompleted: r.steps_completed,
      costMicros: Number(r.cost_micros),
      startedAt: new Date(r.started_at).toISOString(),
      endedAt: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
    }),
  );
  const last = runs.at(-1);
  return { runs, next: rows.length > limit && last ? encodeRunCursor(last.startedAt, last.id) : null };
}

/**
 * Runs a worker should look at: running ones whose lease is free, ended or held by a dead holder (a
 * prefix, or `*` for every holder but the asking one), waiting ones a decision woke, and waiting ones
 * past their wall-time deadline.
 */
export async function workflowRunCandidates(
  db: Kysely<unknown>,
  options: { now: Date; holder: string; deadHolders: string | undefined; limit: number },
): Promise<{ org: string; runId: string }[]> {
  const { now, holder, deadHolders, limit } = options;
  const dead =
    deadHolders === '*'
      ? sql`lease_holder <> ${holder}`
      : deadHolders
        ? sql`(lease_holder <> ${holder} AND starts_with(lease_holder, ${deadHolders}))`
        : sql`false`;
  const { rows } = await sql<{ org: string; run_id: string }>`
    SELECT org, run_id FROM workflow_runs
    WHERE status IN ('running', 'waiting')
      AND (
        (status = 'running' AND (lease_holder IS NULL OR lease_expires_at <= ${now} OR ${dead}))
        OR (status = 'waiting' AND (woken OR deadline <= ${now}))
      )
    ORDER BY updated_at LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ org: r.org, runId: r.run_id }));
}

import { type Migration, sql } from 'kysely';

/**
 * One row per workflow run: what the run list shows and where workers look for runs to resume. `steps`
 * holds each node's step status, from which `status` (with `waiting`) is derived; `woken` is set when a
 * person decides a request the run waits on, until the run moves again.
 */
export interface WorkflowRunsTable {
  org: string;
  run_id: string;
  workflow_id: string;
  version: number;
  name: string | null;
  trigger_kind: string;
  status: 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
  error: string | null;
  steps: Record<string, string>;
  steps_completed: number;
  cost_micros: string;
  started_at: Date;
  ended_at: Date | null;
  updated_at: Date;
  deadline: Date;
  lease_holder: string | null;
  lease_expires_at: Date | null;
  woken: boolean;
}

/** The approval requests a run waits on, so a decision finds its run. */
export interface WorkflowRunWaitsTable {
  org: string;
  request_id: string;
  run_id: string;
}

export const workflowRunsMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE workflow_runs (
        org text NOT NULL,
        run_id text NOT NULL,
        workflow_id text NOT NULL,
        version integer NOT NULL,
        name text,
        trigger_kind text NOT NULL,
        status text NOT NULL,
        error text,
        steps jsonb NOT NULL,
        steps_completed integer NOT NULL,
        cost_micros bigint NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        updated_at timestamptz NOT NULL,
        deadline timestamptz NOT NULL,
        lease_holder text,
        lease_expires_at timestamptz,
        woken boolean NOT NULL,
        PRIMARY KEY (org, run_id)
      )`.execute(db);
    await sql`CREATE INDEX workflow_runs_list ON workflow_runs (org, started_at DESC, run_id DESC)`.execute(
      db,
    );
    await sql`CREATE INDEX workflow_runs_by_workflow ON workflow_runs (org, workflow_id, started_at DESC)`.execute(
      db,
    );
    await sql`CREATE INDEX workflow_runs_open ON workflow_runs (updated_at) WHERE status IN ('running', 'waiting')`.execute(
      db,
    );
    await sql`
      CREATE TABLE workflow_run_waits (
        org text NOT NULL,
        request_id text NOT NULL,
        run_id text NOT NULL,
        PRIMARY KEY (org, request_id)
      )`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS workflow_run_waits`.execute(db);
    await sql`DROP TABLE IF EXISTS workflow_runs`.execute(db);
  },
};

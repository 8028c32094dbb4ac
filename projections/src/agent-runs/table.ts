import { type Migration, sql } from 'kysely';

/** One row per run of any kind; `status` is null while the run is still going. */
export interface RunsTable {
  org: string;
  run_id: string;
  parent_run_id: string | null;
  kind: string | null;
  name: string | null;
  status: 'succeeded' | 'failed' | 'cancelled' | null;
  error: string | null;
  started_at: Date | null;
  completed_at: Date | null;
  events: number;
  cost_micros: string;
  tokens: string;
}

export const agentRunsMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE runs (
        org text NOT NULL,
        run_id text NOT NULL,
        parent_run_id text,
        kind text,
        name text,
        status text,
        error text,
        started_at timestamptz,
        completed_at timestamptz,
        events integer NOT NULL,
        cost_micros bigint NOT NULL,
        tokens bigint NOT NULL,
        PRIMARY KEY (org, run_id)
      )`.execute(db);
    await sql`CREATE INDEX runs_parent ON runs (org, parent_run_id)`.execute(db);
    await sql`CREATE INDEX runs_started ON runs (org, started_at)`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS runs`.execute(db);
  },
};

import { type Migration, sql } from 'kysely';

/** One row per AI use case: what the register lists and filters on. */
export interface UseCasesTable {
  org: string;
  use_case_id: string;
  status: 'draft' | 'in_review' | 'approved' | 'retired';
  name: string;
  owner_id: string;
  business_unit: string;
  risk_tier: string | null;
  annex_iii_area: string | null;
  runs: number;
  created_at: Date;
  updated_at: Date;
}

/** The runs that named a case when they started; their cost and outcome come from the `runs` table. */
export interface UseCaseRunsTable {
  org: string;
  use_case_id: string;
  run_id: string;
  started_at: Date;
}

export const useCasesMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE use_cases (
        org text NOT NULL,
        use_case_id text NOT NULL,
        status text NOT NULL,
        name text NOT NULL,
        owner_id text NOT NULL,
        business_unit text NOT NULL,
        risk_tier text,
        annex_iii_area text,
        runs integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (org, use_case_id)
      )`.execute(db);
    await sql`CREATE INDEX use_cases_created ON use_cases (org, created_at DESC, use_case_id DESC)`.execute(
      db,
    );
    await sql`
      CREATE TABLE use_case_runs (
        org text NOT NULL,
        use_case_id text NOT NULL,
        run_id text NOT NULL,
        started_at timestamptz NOT NULL,
        PRIMARY KEY (org, run_id)
      )`.execute(db);
    await sql`CREATE INDEX use_case_runs_case ON use_case_runs (org, use_case_id, started_at DESC, run_id DESC)`.execute(
      db,
    );
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS use_case_runs`.execute(db);
    await sql`DROP TABLE IF EXISTS use_cases`.execute(db);
  },
};

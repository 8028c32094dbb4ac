import { type Migration, sql } from 'kysely';

/**
 * Cross-vendor evaluation read model: suites (with their definition, for the list and the scheduler),
 * runs (header and status), and the matrix: one row per case × provider answer and per case × provider
 * pair, written from the run's events (docs/cross-vendor-evals.md).
 */
export const crossVendorEvalsMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE cross_vendor_suites (
        org text NOT NULL,
        suite_id text NOT NULL,
        name text NOT NULL,
        case_count integer NOT NULL,
        providers jsonb NOT NULL,
        judge jsonb,
        schedule text,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (org, suite_id)
      )`.execute(db);
    await sql`CREATE INDEX cross_vendor_suites_list ON cross_vendor_suites (org, created_at DESC, suite_id DESC)`.execute(
      db,
    );
    await sql`
      CREATE TABLE cross_vendor_runs (
        org text NOT NULL,
        run_id text NOT NULL,
        suite_id text NOT NULL,
        name text NOT NULL,
        trigger_kind text NOT NULL,
        status text NOT NULL,
        error text,
        providers jsonb NOT NULL,
        judge jsonb,
        case_count integer NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        PRIMARY KEY (org, run_id)
      )`.execute(db);
    await sql`CREATE INDEX cross_vendor_runs_list ON cross_vendor_runs (org, started_at DESC, run_id DESC)`.execute(
      db,
    );
    await sql`
      CREATE TABLE cross_vendor_answers (
        org text NOT NULL,
        run_id text NOT NULL,
        case_index integer NOT NULL,
        provider_index integer NOT NULL,
        status text NOT NULL,
        error text,
        valid boolean NOT NULL,
        problems jsonb NOT NULL,
        answer text,
        fields jsonb NOT NULL,
        cost_micros bigint NOT NULL,
        latency_ms integer NOT NULL,
        skill_run_id text,
        PRIMARY KEY (org, run_id, case_index, provider_index)
      )`.execute(db);
    await sql`
      CREATE TABLE cross_vendor_pairs (
        org text NOT NULL,
        run_id text NOT NULL,
        case_index integer NOT NULL,
        a integer NOT NULL,
        b integer NOT NULL,
        severity text NOT NULL,
        reason text NOT NULL,
        diffs jsonb NOT NULL,
        judge jsonb,
        PRIMARY KEY (org, run_id, case_index, a, b)
      )`.execute(db);
  },
  async down(db) {
    for (const table of [
      'cross_vendor_pairs',
      'cross_vendor_answers',
      'cross_vendor_runs',
      'cross_vendor_suites',
    ])
      await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  },
};

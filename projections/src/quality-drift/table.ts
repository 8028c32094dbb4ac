import { type Migration, sql } from 'kysely';

export const QUALITY_DRIFT_TABLES = ['quality_drift_buckets', 'quality_drift_runs', 'quality_drift_alerts'];

export const qualityDriftMigration: Migration = {
  async up(db) {
    // Outcomes per (org, skill, hour): what the detector's windows and the summary's charts sum.
    await sql`
      CREATE TABLE quality_drift_buckets (
        org text NOT NULL,
        skill text NOT NULL,
        bucket timestamptz NOT NULL,
        runs integer NOT NULL DEFAULT 0,
        passed integer NOT NULL DEFAULT 0,
        l3_checked integer NOT NULL DEFAULT 0,
        l3_flagged integer NOT NULL DEFAULT 0,
        PRIMARY KEY (org, skill, bucket)
      )`.execute(db);
    await sql`CREATE INDEX quality_drift_buckets_recent ON quality_drift_buckets (bucket, org, skill)`.execute(
      db,
    );
    // A skill run in flight: what its completion needs to classify it; the row goes when it completes.
    await sql`
      CREATE TABLE quality_drift_runs (
        org text NOT NULL,
        run_id text NOT NULL,
        skill text NOT NULL,
        answered boolean NOT NULL DEFAULT false,
        accepted_request text,
        checked_requests text[] NOT NULL DEFAULT '{}',
        flagged_requests text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (org, run_id)
      )`.execute(db);
    await sql`
      CREATE TABLE quality_drift_alerts (
        org text NOT NULL,
        alert_id text NOT NULL,
        skill text NOT NULL,
        signal text NOT NULL,
        raised_at timestamptz NOT NULL,
        baseline jsonb NOT NULL,
        recent jsonb NOT NULL,
        statistic double precision NOT NULL,
        threshold double precision NOT NULL,
        recovered_at timestamptz,
        recovery jsonb,
        suppressed_until timestamptz,
        suppressed_until_recovered boolean NOT NULL DEFAULT false,
        suppressed_reason text,
        suppressed_by text,
        suppressed_at timestamptz,
        PRIMARY KEY (org, alert_id)
      )`.execute(db);
    await sql`CREATE INDEX quality_drift_alerts_list ON quality_drift_alerts (org, raised_at DESC, alert_id DESC)`.execute(
      db,
    );
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS quality_drift_alerts`.execute(db);
    await sql`DROP TABLE IF EXISTS quality_drift_runs`.execute(db);
    await sql`DROP TABLE IF EXISTS quality_drift_buckets`.execute(db);
  },
};

/**
 * L4's place in the pass rate: a succeeded skill run's row stays after it completes, with the bucket it
 * counted in and whether L3 passed it, so a verdict judged later moves that run's pass to its own hour.
 */
export const qualityDriftL4Migration: Migration = {
  async up(db) {
    await sql`ALTER TABLE quality_drift_runs
      ADD COLUMN completed_bucket timestamptz,
      ADD COLUMN l3_clean boolean,
      ADD COLUMN l4_passed boolean`.execute(db);
  },
  async down(db) {
    await sql`ALTER TABLE quality_drift_runs
      DROP COLUMN IF EXISTS completed_bucket,
      DROP COLUMN IF EXISTS l3_clean,
      DROP COLUMN IF EXISTS l4_passed`.execute(db);
  },
};

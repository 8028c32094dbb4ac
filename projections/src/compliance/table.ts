import { type Migration, sql } from 'kysely';

/**
 * The compliance read model, all derived from the log: which events evidence which control (by the
 * evidence rules), which skill runs succeeded (evidence for the controls their skill maps to), the use case
 * each run serves, and the org's mapping overrides with their four-eyes status.
 */
export const complianceMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE compliance_evidence (
        org text NOT NULL,
        control_uid text NOT NULL,
        seq bigint NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        rules text NOT NULL,
        time timestamptz NOT NULL,
        use_case_id text,
        run_id text,
        PRIMARY KEY (org, control_uid, seq)
      )`.execute(db);
    await sql`
      CREATE TABLE compliance_skill_runs (
        org text NOT NULL,
        seq bigint NOT NULL,
        event_id text NOT NULL,
        skill text NOT NULL,
        run_id text NOT NULL,
        time timestamptz NOT NULL,
        use_case_id text,
        PRIMARY KEY (org, seq)
      )`.execute(db);
    await sql`CREATE INDEX compliance_skill_runs_by_skill ON compliance_skill_runs (org, skill, seq DESC)`.execute(
      db,
    );
    await sql`
      CREATE TABLE compliance_runs (
        org text NOT NULL,
        run_id text NOT NULL,
        use_case_id text,
        skill text,
        PRIMARY KEY (org, run_id)
      )`.execute(db);
    await sql`
      CREATE TABLE compliance_overrides (
        org text NOT NULL,
        override_id text NOT NULL,
        skill text NOT NULL,
        control_uid text NOT NULL,
        action text NOT NULL,
        reason text NOT NULL,
        status text NOT NULL,
        proposed_by text NOT NULL,
        proposed_at timestamptz NOT NULL,
        proposed_seq bigint NOT NULL,
        decided_by text,
        decided_at timestamptz,
        decided_seq bigint,
        note text,
        PRIMARY KEY (org, override_id)
      )`.execute(db);
    await sql`CREATE INDEX compliance_overrides_list ON compliance_overrides (org, proposed_seq DESC)`.execute(
      db,
    );
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS compliance_overrides`.execute(db);
    await sql`DROP TABLE IF EXISTS compliance_runs`.execute(db);
    await sql`DROP TABLE IF EXISTS compliance_skill_runs`.execute(db);
    await sql`DROP TABLE IF EXISTS compliance_evidence`.execute(db);
  },
};

export const COMPLIANCE_TABLES = [
  'compliance_evidence',
  'compliance_skill_runs',
  'compliance_runs',
  'compliance_overrides',
] as const;

import { type Migration, sql } from 'kysely';

export const QUALITY_TRIAGE_TABLES = [
  'quality_triage_items',
  'quality_triage_pending',
  'quality_judge_spend',
];

export const qualityTriageMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE quality_triage_items (
        org text NOT NULL,
        item_id text NOT NULL,
        run_id text NOT NULL,
        skill text NOT NULL,
        status text NOT NULL,
        reasons text[] NOT NULL,
        output text,
        l3 jsonb,
        judge_id text,
        score integer,
        disagreement integer,
        unsupported_claims jsonb NOT NULL,
        opened_at timestamptz NOT NULL,
        assignee text,
        assigned_at timestamptz,
        resolution text,
        note text,
        resolved_by text,
        resolved_at timestamptz,
        PRIMARY KEY (org, item_id)
      )`.execute(db);
    await sql`CREATE INDEX quality_triage_items_list ON quality_triage_items (org, opened_at DESC, item_id DESC)`.execute(
      db,
    );
    // Skill runs whose answers L3 flagged, waiting for the triage loop to open their item.
    await sql`
      CREATE TABLE quality_triage_pending (
        org text NOT NULL,
        run_id text NOT NULL,
        l3 jsonb NOT NULL,
        flagged_at timestamptz NOT NULL,
        PRIMARY KEY (org, run_id)
      )`.execute(db);
    // What the judge spent per org and calendar month (UTC): the quality budget line's consumption.
    await sql`
      CREATE TABLE quality_judge_spend (
        org text NOT NULL,
        month text NOT NULL,
        spent_micros bigint NOT NULL DEFAULT 0,
        verdicts integer NOT NULL DEFAULT 0,
        PRIMARY KEY (org, month)
      )`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS quality_judge_spend`.execute(db);
    await sql`DROP TABLE IF EXISTS quality_triage_pending`.execute(db);
    await sql`DROP TABLE IF EXISTS quality_triage_items`.execute(db);
  },
};

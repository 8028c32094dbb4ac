import { type Migration, sql } from 'kysely';

export interface ProjectionCheckpointsTable {
  name: string;
  version: number;
  cursor: string;
  updated_at: Date;
}

export interface ProjectionFailuresTable {
  projection: string;
  org: string;
  seq: string;
  event_id: string;
  type: string;
  cursor: string;
  reason: string;
  failed_at: Date;
}

/** The runner's own tables: one checkpoint per projection, one row per event a projection could not apply. */
export const runnerMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE projection_checkpoints (
        name text PRIMARY KEY,
        version integer NOT NULL,
        cursor text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`
      CREATE TABLE projection_failures (
        projection text NOT NULL,
        org text NOT NULL,
        seq bigint NOT NULL,
        event_id uuid NOT NULL,
        type text NOT NULL,
        cursor text NOT NULL,
        reason text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, org, seq)
      )`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS projection_failures`.execute(db);
    await sql`DROP TABLE IF EXISTS projection_checkpoints`.execute(db);
  },
};

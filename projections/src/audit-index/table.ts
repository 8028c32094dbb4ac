import { type Migration, sql } from 'kysely';

/** One row per event, for filtering; the envelope itself is read from the events table. */
export interface AuditIndexTable {
  org: string;
  seq: string;
  type: string;
  subject: string;
  actor_kind: string;
  actor_id: string;
  run_id: string | null;
  time: Date;
}

export const auditIndexMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE audit_index (
        org text NOT NULL,
        seq bigint NOT NULL,
        type text NOT NULL,
        subject text NOT NULL,
        actor_kind text NOT NULL,
        actor_id text NOT NULL,
        run_id text,
        time timestamptz NOT NULL,
        PRIMARY KEY (org, seq)
      )`.execute(db);
    await sql`CREATE INDEX audit_index_subject ON audit_index (org, subject, seq)`.execute(db);
    await sql`CREATE INDEX audit_index_run ON audit_index (org, run_id, seq) WHERE run_id IS NOT NULL`.execute(
      db,
    );
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS audit_index`.execute(db);
  },
};

import { type Migration, sql } from 'kysely';

export const CODER_SESSIONS_TABLES = ['coder_sessions'];

/**
 * Replaces the inline `coder_sessions` table the server kept in each append's transaction (and its
 * migrator's own tables): the list is now rebuilt from the log like every other read model.
 */
export const coderSessionsMigration: Migration = {
  async up(db) {
    await sql`DROP TABLE IF EXISTS coder_sessions`.execute(db);
    await sql`DROP TABLE IF EXISTS coder_sessions_migrations`.execute(db);
    await sql`DROP TABLE IF EXISTS coder_sessions_migrations_lock`.execute(db);
    await sql`
      CREATE TABLE coder_sessions (
        org text NOT NULL,
        id text NOT NULL,
        mode text NOT NULL,
        status text NOT NULL,
        goal text NOT NULL,
        repo text,
        branch text,
        run_id text NOT NULL,
        created_by text NOT NULL,
        iterations integer NOT NULL DEFAULT 0,
        input_tokens bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        stop text,
        files_changed integer,
        diff_sha256 text,
        commit_sha text,
        artifact_sha256 text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (org, id)
      )`.execute(db);
    await sql`CREATE INDEX coder_sessions_by_org ON coder_sessions (org, created_at DESC, id DESC)`.execute(
      db,
    );
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS coder_sessions`.execute(db);
  },
};

/** The paired device a session's repository is on (null on the server's workspace), for the list. */
export const coderSessionDevicesMigration: Migration = {
  async up(db) {
    await sql`ALTER TABLE coder_sessions ADD COLUMN device_id text`.execute(db);
  },
  async down(db) {
    await sql`ALTER TABLE coder_sessions DROP COLUMN IF EXISTS device_id`.execute(db);
  },
};

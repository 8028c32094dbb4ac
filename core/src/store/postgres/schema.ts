import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

/**
 * The events table (Message DB's shape): a global position, the transaction id that
 * wrote the row (for gap-free following), `(org, seq)` and `(org, subject, subject_version)`
 * unique, and triggers that make it append-only.
 */
const migrations: Record<string, Migration> = {
  '0001_events': {
    async up(db) {
      await sql`
        CREATE TABLE events (
          position bigserial PRIMARY KEY,
          tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
          org text NOT NULL,
          seq bigint NOT NULL,
          id uuid NOT NULL,
          type text NOT NULL,
          subject text NOT NULL,
          subject_version integer NOT NULL,
          time timestamptz NOT NULL,
          body text NOT NULL,
          prev text NOT NULL,
          hash text NOT NULL,
          CONSTRAINT events_org_seq UNIQUE (org, seq),
          CONSTRAINT events_org_subject_version UNIQUE (org, subject, subject_version)
        )`.execute(db);
      await sql`CREATE INDEX events_global ON events (tx_id, position)`.execute(db);
      await sql`
        CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'P0001';
        END $$`.execute(db);
      await sql`CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_append_only()`.execute(db);
      await sql`CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()`.execute(db);
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface EventsTable {
  position: string;
  tx_id: string;
  org: string;
  seq: string;
  id: string;
  type: string;
  subject: string;
  subject_version: number;
  time: Date;
  body: string;
  prev: string;
  hash: string;
}

export interface CoreDatabase {
  events: EventsTable;
}

export async function migrateEventStore(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'core_migrations',
    migrationLockTableName: 'core_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`event store migration ${failed ?? ''} failed: ${String(error)}`);
  }
}

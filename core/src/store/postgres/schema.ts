import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

/**
 * The events table (Message DB's shape): a global position, the transaction id that
 * wrote the row (for gap-free following), `(org, seq)` and `(org, subject, subject_version)`
 * unique, and triggers that make it append-only.
 */
/**
 * `partitions` > 0 creates the table hash-partitioned by org (PostgreSQL declarative partitioning):
 * the primary key then holds the partition key, `(org, position)`, and each partition refuses
 * TRUNCATE itself, since truncating a partition does not fire the parent's statement trigger.
 * Chosen when the table is created; an existing table keeps its layout.
 */
function eventMigrations(partitions: number): Record<string, Migration> {
  const partitioned = partitions > 0;
  return {
    '0001_events': {
      async up(db) {
        await sql`
          CREATE TABLE events (
            position bigserial ${partitioned ? sql`` : sql`PRIMARY KEY`},
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
            ${partitioned ? sql`CONSTRAINT events_pkey PRIMARY KEY (org, position),` : sql``}
            CONSTRAINT events_org_seq UNIQUE (org, seq),
            CONSTRAINT events_org_subject_version UNIQUE (org, subject, subject_version)
          ) ${partitioned ? sql`PARTITION BY HASH (org)` : sql``}`.execute(db);
        for (let i = 0; i < partitions; i++)
          await sql`CREATE TABLE ${sql.table(`events_p${i}`)} PARTITION OF events
            FOR VALUES WITH (MODULUS ${sql.lit(partitions)}, REMAINDER ${sql.lit(i)})`.execute(db);
        await sql`CREATE INDEX events_global ON events (tx_id, position)`.execute(db);
        await sql`
          CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'P0001';
          END $$`.execute(db);
        await sql`CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
          FOR EACH ROW EXECUTE FUNCTION events_append_only()`.execute(db);
        for (const table of ['events', ...Array.from({ length: partitions }, (_, i) => `events_p${i}`)])
          await sql`CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${sql.table(table)}
            FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()`.execute(db);
      },
    },
  };
}

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

export async function migrateEventStore(
  db: Kysely<unknown>,
  options: { partitions?: number } = {},
): Promise<void> {
  const migrations = eventMigrations(options.partitions ?? 0);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
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

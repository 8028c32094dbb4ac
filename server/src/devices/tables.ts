import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * Devices, pairing codes, the MCP server registry and MCP activity counters. Token and
 * code hashes live only here (never in events); the rest is rebuildable from device events.
 */
const migrations: Record<string, Migration> = {
  '0001_devices': {
    async up(db) {
      await sql`CREATE TABLE devices (
        id text PRIMARY KEY, org text NOT NULL, name text NOT NULL, platform text NOT NULL,
        agent text, token_hash text NOT NULL UNIQUE, created_at timestamptz NOT NULL,
        revoked_at timestamptz, last_seen_at timestamptz)`.execute(db);
      await sql`CREATE INDEX devices_org ON devices (org)`.execute(db);
      await sql`CREATE TABLE device_pairing_codes (
        code_hash text PRIMARY KEY, id text NOT NULL UNIQUE, org text NOT NULL,
        expires_at timestamptz NOT NULL, used_at timestamptz)`.execute(db);
      await sql`CREATE TABLE mcp_servers (
        id text PRIMARY KEY, org text NOT NULL, name text NOT NULL, transport text NOT NULL,
        config text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        UNIQUE (org, name))`.execute(db);
      await sql`CREATE TABLE mcp_activity_counts (
        org text NOT NULL, vendor text NOT NULL, agent text NOT NULL, decision text NOT NULL,
        calls bigint NOT NULL, masked bigint NOT NULL, failed bigint NOT NULL,
        PRIMARY KEY (org, vendor, agent, decision))`.execute(db);
    },
  },
  '0002_pairing_code_agent': {
    async up(db) {
      await sql`ALTER TABLE device_pairing_codes ADD COLUMN agent text`.execute(db);
    },
  },
};

/** For the specs that migrate from each earlier version. */
export { migrations as deviceMigrations };

export async function migrateDevices(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'devices_migrations',
    migrationLockTableName: 'devices_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`devices migration failed: ${String(error)}`);
}

export interface DeviceRow {
  id: string;
  org: string;
  name: string;
  platform: string;
  agent: string | null;
  created_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date | null;
}

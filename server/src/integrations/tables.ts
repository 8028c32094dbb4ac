import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, type Migration, Migrator, sql, type Transaction } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_integrations': {
    async up(db) {
      await sql`
        CREATE TABLE integration_connections (
          org text NOT NULL,
          id text NOT NULL UNIQUE,
          kind text NOT NULL,
          method text NOT NULL,
          label text NOT NULL,
          status text NOT NULL,
          fingerprint text NOT NULL,
          settings text NOT NULL,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          last_access_at timestamptz,
          PRIMARY KEY (org, id)
        )`.execute(db);
      await sql`
        CREATE TABLE integration_activity (
          org text NOT NULL,
          seq bigint NOT NULL,
          time timestamptz NOT NULL,
          connection_id text NOT NULL,
          kind text NOT NULL,
          direction text NOT NULL,
          object_type text NOT NULL,
          operation text NOT NULL,
          fields text NOT NULL,
          count integer NOT NULL,
          PRIMARY KEY (org, seq)
        )`.execute(db);
      await sql`
        CREATE TABLE integration_cursors (
          org text NOT NULL,
          connection_id text NOT NULL,
          cursor text NOT NULL,
          PRIMARY KEY (org, connection_id)
        )`.execute(db);
    },
  },
  // A lead's classification waiting for a person: pass state like the cursors, never in the log, since
  // it holds values; the approval request names only the lead id and the field names.
  '0002_integration_held_writes': {
    async up(db) {
      await sql`
        CREATE TABLE integration_held_writes (
          org text NOT NULL,
          request_id text NOT NULL,
          connection_id text NOT NULL,
          lead_id text NOT NULL,
          update_json text NOT NULL,
          args_sha256 text NOT NULL,
          created_at timestamptz NOT NULL,
          PRIMARY KEY (org, request_id)
        )`.execute(db);
    },
  },
  // How far each Slack connection marked for alerts has posted: the org seq handled (decisions/0049).
  '0003_integration_alert_cursors': {
    async up(db) {
      await sql`
        CREATE TABLE integration_alert_cursors (
          org text NOT NULL,
          connection_id text NOT NULL,
          seq bigint NOT NULL,
          PRIMARY KEY (org, connection_id)
        )`.execute(db);
    },
  },
  // What each held lead write's request is about, as data: the lead id and the field names (never a
  // value), kept after the write is settled so the held-writes list reads them instead of the summary.
  '0004_integration_held_write_targets': {
    async up(db) {
      await sql`
        CREATE TABLE integration_held_write_targets (
          org text NOT NULL,
          request_id text NOT NULL,
          connection_id text,
          lead_id text NOT NULL,
          fields text NOT NULL,
          PRIMARY KEY (org, request_id)
        )`.execute(db);
      // Requests opened before this table: their summary is the only place the lead id and fields were.
      const { rows: exists } = await sql<{ t: string | null }>`
        SELECT to_regclass('hitl_requests')::text AS t`.execute(db);
      if (!exists[0]?.t) return;
      const { rows } = await sql<{ id: string; org: string; summary: string }>`
        SELECT id, org, summary FROM hitl_requests WHERE target = 'integration/salesforce/Lead'`.execute(db);
      for (const r of rows) {
        const match = /^Write ([A-Za-z0-9_, ]{1,2000}) on Salesforce Lead ([A-Za-z0-9]{15,18})$/.exec(
          r.summary,
        );
        if (!match) continue;
        await sql`
          INSERT INTO integration_held_write_targets (org, request_id, connection_id, lead_id, fields)
          VALUES (${r.org}, ${r.id}, NULL, ${match[2]}, ${JSON.stringify((match[1] as string).split(', '))})
          ON CONFLICT DO NOTHING`.execute(db);
      }
    },
  },
};

/** For the specs that migrate from each earlier version. */
export { migrations as integrationMigrations };

/**
 * The connection list, recent reads and writes (both rebuilt from the log), the polling cursors and the
 * Salesforce writes held for approval.
 */
export async function migrateIntegrations(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'integrations_migrations',
    migrationLockTableName: 'integrations_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`integrations migration failed: ${String(error)}`);
}

/** The event types the inline tables are derived from. */
export const INTEGRATION_TABLE_TYPES = [
  'cp.integration.connected',
  'cp.integration.token.refreshed',
  'cp.integration.credential.failed',
  'cp.integration.disconnected',
  'cp.integration.alerts.changed',
  'cp.integration.read',
  'cp.integration.write',
] as const;

/**
 * Applies integration events to the inline tables, in the append's transaction: the connection row
 * (removed on disconnect, so its sealed credential is the only thing left to delete) and the activity.
 */
export async function applyIntegrationEvents(
  trx: Transaction<unknown> | Kysely<unknown>,
  events: readonly EventEnvelope[],
): Promise<void> {
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    const id = String(d.connectionId);
    switch (e.type) {
      case 'cp.integration.connected':
        await sql`
          INSERT INTO integration_connections
            (org, id, kind, method, label, status, fingerprint, settings, created_at, updated_at)
          VALUES (${e.org}, ${id}, ${d.kind as string}, ${d.method as string}, ${d.label as string}, 'active',
                  ${d.fingerprint as string}, ${JSON.stringify(d.settings ?? {})}, ${e.time}, ${e.time})
          ON CONFLICT (org, id) DO NOTHING`.execute(trx);
        break;
      case 'cp.integration.token.refreshed':
        await sql`
          UPDATE integration_connections SET fingerprint = ${d.fingerprint as string}, updated_at = ${e.time}
          WHERE org = ${e.org} AND id = ${id}`.execute(trx);
        break;
      case 'cp.integration.credential.failed':
        await sql`
          UPDATE integration_connections SET status = ${d.status as string}, updated_at = ${e.time}
          WHERE org = ${e.org} AND id = ${id}`.execute(trx);
        break;
      case 'cp.integration.disconnected':
        await sql`DELETE FROM integration_connections WHERE org = ${e.org} AND id = ${id}`.execute(trx);
        // Its polling positions go with it: triage's, the workflow nodes' (`<id>/workflow`) and the alerts'.
        await sql`
          DELETE FROM integration_cursors
          WHERE org = ${e.org} AND connection_id IN (${id}, ${`${id}/workflow`})`.execute(trx);
        await sql`
          DELETE FROM integration_alert_cursors WHERE org = ${e.org} AND connection_id = ${id}`.execute(trx);
        break;
      case 'cp.integration.alerts.changed': {
        const { rows } = await sql<{ settings: string }>`
          SELECT settings FROM integration_connections WHERE org = ${e.org} AND id = ${id}`.execute(trx);
        if (!rows[0]) break;
        const { alerts: before, ...settings } = JSON.parse(rows[0].settings) as Record<string, string>;
        const kinds = d.alerts as string[];
        const next = kinds.length ? { ...settings, alerts: [...kinds].sort().join('.') } : settings;
        await sql`
          UPDATE integration_connections SET settings = ${JSON.stringify(next)}, updated_at = ${e.time}
          WHERE org = ${e.org} AND id = ${id}`.execute(trx);
        // Alerts turned on from none post from here on, never what happened while they were off.
        if (!before && kinds.length)
          await sql`
            INSERT INTO integration_alert_cursors (org, connection_id, seq) VALUES (${e.org}, ${id}, ${e.seq})
            ON CONFLICT (org, connection_id) DO UPDATE SET seq = EXCLUDED.seq`.execute(trx);
        break;
      }
      case 'cp.integration.read':
      case 'cp.integration.write':
        await sql`
          INSERT INTO integration_activity
            (org, seq, time, connection_id, kind, direction, object_type, operation, fields, count)
          VALUES (${e.org}, ${e.seq}, ${e.time}, ${id}, ${d.kind as string},
                  ${e.type === 'cp.integration.read' ? 'read' : 'write'}, ${d.objectType as string},
                  ${d.operation as string}, ${JSON.stringify(d.fields)}, ${d.count as number})
          ON CONFLICT (org, seq) DO NOTHING`.execute(trx);
        await sql`
          UPDATE integration_connections SET last_access_at = ${e.time}
          WHERE org = ${e.org} AND id = ${id}`.execute(trx);
        break;
      default:
        break;
    }
  }
}

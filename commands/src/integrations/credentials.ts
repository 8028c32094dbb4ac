import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { openSecret, sealSecret, secretFingerprint } from '../secrets/seal.js';

/**
 * What a connection needs to reach its system: tokens, the Salesforce password or the Slack signing
 * secret. Sealed as one JSON document; never returned by the API, never in an event or a log line.
 */
export interface IntegrationCredentials {
  accessToken?: string;
  refreshToken?: string;
  /** Epoch milliseconds after which the access token is refreshed before use. */
  expiresAt?: number;
  instanceUrl?: string;
  username?: string;
  password?: string;
  botToken?: string;
  webhookUrl?: string;
  signingSecret?: string;
}

/** The seal binds each row to its org and connection (AES-256-GCM AAD), as provider keys are bound. */
const purpose = (connectionId: string) => `integration/${connectionId}`;

/** The fingerprint recorded in events: of the long-lived credential, so a rotation shows. */
export const credentialFingerprint = (c: IntegrationCredentials): string =>
  secretFingerprint(c.refreshToken ?? c.password ?? c.botToken ?? c.webhookUrl ?? c.accessToken ?? '');

export interface IntegrationVault {
  put(options: {
    org: string;
    connectionId: string;
    credentials: IntegrationCredentials;
    now: Date;
  }): Promise<void>;
  reveal(options: { org: string; connectionId: string }): Promise<IntegrationCredentials | undefined>;
  remove(options: { org: string; connectionId: string }): Promise<void>;
}

export function createIntegrationVault(options: {
  db: Kysely<unknown>;
  masterKey: Buffer;
}): IntegrationVault {
  const { db, masterKey } = options;
  return {
    async put({ org, connectionId, credentials, now }) {
      const sealed = sealSecret({
        masterKey,
        org,
        provider: purpose(connectionId),
        plaintext: JSON.stringify(credentials),
      });
      await sql`
        INSERT INTO integration_credentials (org, connection_id, sealed, updated_at)
        VALUES (${org}, ${connectionId}, ${sealed}, ${now.toISOString()})
        ON CONFLICT (org, connection_id) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = EXCLUDED.updated_at`.execute(
        db,
      );
    },
    async reveal({ org, connectionId }) {
      const { rows } = await sql<{ sealed: string }>`
        SELECT sealed FROM integration_credentials WHERE org = ${org} AND connection_id = ${connectionId}`.execute(
        db,
      );
      const row = rows[0];
      if (!row) return undefined;
      const plain = openSecret({ masterKey, org, provider: purpose(connectionId), sealed: row.sealed });
      return JSON.parse(plain) as IntegrationCredentials;
    },
    async remove({ org, connectionId }) {
      await sql`DELETE FROM integration_credentials WHERE org = ${org} AND connection_id = ${connectionId}`.execute(
        db,
      );
    },
  };
}

const migrations: Record<string, Migration> = {
  '0001_integration_credentials': {
    async up(db) {
      await sql`
        CREATE TABLE integration_credentials (
          org text NOT NULL,
          connection_id text NOT NULL,
          sealed text NOT NULL,
          updated_at timestamptz NOT NULL,
          PRIMARY KEY (org, connection_id)
        )`.execute(db);
    },
  },
};

/** Creates the sealed credential table; not a projection, since the log never holds what it holds. */
export async function migrateIntegrationCredentials(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'integration_credentials_migrations',
    migrationLockTableName: 'integration_credentials_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`integration credentials migration failed: ${String(error)}`);
}

import { type Kysely, sql } from 'kysely';
import { openSecret, sealSecret, secretFingerprint } from './seal.js';

export interface StoredProviderKey {
  provider: string;
  fingerprint: string;
  updatedAt: string;
}

/**
 * Per-org provider keys, sealed at rest. The table is the only copy of a key by design: events record the
 * provider and fingerprint, never the key, so this table cannot (and must not) be rebuilt from the log.
 */
export interface ProviderKeyVault {
  set(options: { org: string; provider: string; apiKey: string; now: Date }): Promise<StoredProviderKey>;
  remove(options: { org: string; provider: string }): Promise<boolean>;
  list(options: { org: string }): Promise<StoredProviderKey[]>;
  /** The plaintext key for one call, or undefined; only the gateway calls this. */
  reveal(options: { org: string; provider: string }): Promise<string | undefined>;
}

type Row = { provider: string; fingerprint: string; updated_at: Date | string; sealed: string };
const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export function createProviderKeyVault(options: {
  db: Kysely<unknown>;
  masterKey: Buffer;
}): ProviderKeyVault {
  const { db, masterKey } = options;
  return {
    async set({ org, provider, apiKey, now }) {
      const sealed = sealSecret({ masterKey, org, provider, plaintext: apiKey });
      const fingerprint = secretFingerprint(apiKey);
      await sql`
        INSERT INTO secrets_provider_keys (org, provider, sealed, fingerprint, updated_at)
        VALUES (${org}, ${provider}, ${sealed}, ${fingerprint}, ${now.toISOString()})
        ON CONFLICT (org, provider) DO UPDATE
        SET sealed = EXCLUDED.sealed, fingerprint = EXCLUDED.fingerprint, updated_at = EXCLUDED.updated_at`.execute(
        db,
      );
      return { provider, fingerprint, updatedAt: now.toISOString() };
    },
    async remove({ org, provider }) {
      const r =
        await sql`DELETE FROM secrets_provider_keys WHERE org = ${org} AND provider = ${provider}`.execute(
          db,
        );
      return Number(r.numAffectedRows ?? 0) > 0;
    },
    async list({ org }) {
      const { rows } = await sql<Row>`
        SELECT provider, fingerprint, updated_at FROM secrets_provider_keys WHERE org = ${org} ORDER BY provider`.execute(
        db,
      );
      return rows.map((r) => ({
        provider: r.provider,
        fingerprint: r.fingerprint,
        updatedAt: iso(r.updated_at),
      }));
    },
    async reveal({ org, provider }) {
      const { rows } = await sql<Row>`
        SELECT sealed FROM secrets_provider_keys WHERE org = ${org} AND provider = ${provider}`.execute(db);
      const row = rows[0];
      return row ? openSecret({ masterKey, org, provider, sealed: row.sealed }) : undefined;
    },
  };
}

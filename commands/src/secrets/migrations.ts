import { type Kysely, type Migration, Migrator, sql } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_provider_keys': {
    async up(db) {
      await sql`
        CREATE TABLE secrets_provider_keys (
          org text NOT NULL,
          provider text NOT NULL,
          sealed text NOT NULL,
          fingerprint text NOT NULL,
          updated_at timestamptz NOT NULL,
          PRIMARY KEY (org, provider)
        )`.execute(db);
    },
  },
};

/** Creates or upgrades the provider-key table; safe on every start. */
export async function migrateSecrets(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'secrets_migrations',
    migrationLockTableName: 'secrets_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`secrets migration ${failed ?? ''} failed: ${String(error)}`);
  }
}

import { type Kysely, type Migration, Migrator, sql } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_gateway_policies': {
    async up(db) {
      await sql`
        CREATE TABLE gateway_policies (
          org text PRIMARY KEY,
          version integer NOT NULL,
          document text NOT NULL
        )`.execute(db);
    },
  },
};

/** Creates or upgrades the gateway's tables (the current policy per org); safe on every start. */
export async function migrateGateway(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'gateway_migrations',
    migrationLockTableName: 'gateway_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`gateway migration ${failed ?? ''} failed: ${String(error)}`);
  }
}

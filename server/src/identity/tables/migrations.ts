import { type Kysely, type Migration, Migrator, sql } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_identity': {
    async up(db) {
      await sql`
        CREATE TABLE identity_users (
          id text PRIMARY KEY,
          email text NOT NULL UNIQUE,
          email_hash text NOT NULL UNIQUE,
          created_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`
        CREATE TABLE identity_credentials (
          user_id text PRIMARY KEY REFERENCES identity_users (id) ON DELETE CASCADE,
          password_hash text NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`
        CREATE TABLE identity_orgs (
          id text PRIMARY KEY,
          name text NOT NULL,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL
        )`.execute(db);
      await sql`
        CREATE TABLE identity_memberships (
          org text NOT NULL,
          user_id text NOT NULL,
          role text NOT NULL,
          joined_at timestamptz NOT NULL,
          PRIMARY KEY (org, user_id)
        )`.execute(db);
      await sql`CREATE INDEX identity_memberships_user ON identity_memberships (user_id)`.execute(db);
      await sql`
        CREATE TABLE identity_invitations (
          id text PRIMARY KEY,
          org text NOT NULL,
          email text NOT NULL,
          role text NOT NULL,
          token_hash text NOT NULL UNIQUE,
          expires_at timestamptz NOT NULL,
          created_at timestamptz NOT NULL,
          invited_by text NOT NULL,
          status text NOT NULL,
          accepted_by text
        )`.execute(db);
      await sql`CREATE INDEX identity_invitations_org ON identity_invitations (org, status)`.execute(db);
      await sql`
        CREATE TABLE identity_api_keys (
          id text PRIMARY KEY,
          org text NOT NULL,
          name text NOT NULL,
          role text NOT NULL,
          agent text,
          prefix text NOT NULL,
          last4 text NOT NULL,
          key_hash text NOT NULL UNIQUE,
          created_at timestamptz NOT NULL,
          created_by text NOT NULL,
          last_used_at timestamptz,
          revoked_at timestamptz
        )`.execute(db);
      await sql`CREATE INDEX identity_api_keys_org ON identity_api_keys (org)`.execute(db);
    },
  },
};

/** Creates or upgrades the identity tables; safe to run on every start (kysely's Migrator locks). */
export async function migrateIdentity(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'identity_migrations',
    migrationLockTableName: 'identity_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`identity migration ${failed ?? ''} failed: ${String(error)}`);
  }
}

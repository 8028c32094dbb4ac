import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { CREATE_APPLY_EVENTS_TRIGGER, REPLACE_APPLY_EVENTS_WITH_LEASES } from './event-rows.js';
import { CREATE_FAST_COMMIT_FUNCTION } from './fast-commit.js';

const migrations: Record<string, Migration> = {
  '0001_budget': {
    async up(db) {
      await sql`CREATE TABLE budget_caps (org text PRIMARY KEY, cap_micros bigint)`.execute(db);
      await sql`
        CREATE TABLE budget_months (
          org text NOT NULL,
          month text NOT NULL,
          spent_micros bigint NOT NULL DEFAULT 0,
          reserved_micros bigint NOT NULL DEFAULT 0,
          alerted smallint NOT NULL DEFAULT 0,
          PRIMARY KEY (org, month)
        )`.execute(db);
      await sql`
        CREATE TABLE budget_reservations (
          org text NOT NULL,
          id text NOT NULL,
          month text NOT NULL,
          amount_micros bigint NOT NULL,
          state text NOT NULL,
          actual_micros bigint,
          created_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL,
          settled_at timestamptz,
          PRIMARY KEY (org, id)
        )`.execute(db);
      await sql`CREATE INDEX budget_reservations_open ON budget_reservations (org, expires_at) WHERE state = 'open'`.execute(
        db,
      );
      await sql`CREATE INDEX budget_reservations_settled ON budget_reservations (org, settled_at) WHERE state = 'settled'`.execute(
        db,
      );
    },
  },
  // Every change to a month row bumps its version, so a batched ledger can commit a batch decided from
  // figures it cached with one statement that applies only if the version is still the one it read.
  '0002_budget_month_versions': {
    async up(db) {
      await sql`ALTER TABLE budget_months ADD COLUMN version bigint NOT NULL DEFAULT 0`.execute(db);
      await CREATE_FAST_COMMIT_FUNCTION.execute(db);
    },
  },
  // The rows settlements, expiries, caps, prices and provider anomalies imply are derived from their
  // events by the statement that appends them, so the ledger can never disagree with the chain.
  '0003_budget_rows_from_events': {
    async up(db) {
      await sql`ALTER TABLE budget_caps ADD COLUMN open_anomalies int NOT NULL DEFAULT 0`.execute(db);
      await sql`CREATE TABLE budget_prices (org text PRIMARY KEY, models jsonb NOT NULL, default_price jsonb)`.execute(
        db,
      );
      await sql`
        CREATE TABLE budget_unpriced_models (
          org text NOT NULL,
          month text NOT NULL,
          model text NOT NULL,
          calls bigint NOT NULL,
          last_at timestamptz NOT NULL,
          PRIMARY KEY (org, month, model)
        )`.execute(db);
      for (const statement of CREATE_APPLY_EVENTS_TRIGGER) await statement.execute(db);
    },
  },
  // Budget leases: a process holds a slice of the org's remaining cap (counted in the month's reserved until
  // released or expired) and reserves calls from it in memory; leased settlements are derived like the rest.
  '0004_budget_leases': {
    async up(db) {
      await sql`
        CREATE TABLE budget_leases (
          org text NOT NULL,
          id text NOT NULL,
          month text NOT NULL,
          amount_micros bigint NOT NULL,
          consumed_micros bigint NOT NULL DEFAULT 0,
          state text NOT NULL,
          created_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL,
          PRIMARY KEY (org, id)
        )`.execute(db);
      await sql`CREATE INDEX budget_leases_live ON budget_leases (expires_at) WHERE state = 'live'`.execute(
        db,
      );
      await REPLACE_APPLY_EVENTS_WITH_LEASES.execute(db);
    },
  },
};

/** The budget's migrations by name, for the specs that migrate a database from each earlier version. */
export { migrations as budgetMigrations };

/**
 * Creates or upgrades the budget tables (an inline read model of the budget events) and the trigger that
 * derives them from appended events; safe on every start. Needs the events table (the store migrates it).
 */
export async function migrateBudget(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'budget_migrations',
    migrationLockTableName: 'budget_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`budget migration ${failed ?? ''} failed: ${String(error)}`);
  }
}

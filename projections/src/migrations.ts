import { type Kysely, type Migration, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely';
import { activityMigration } from './activity/table.js';
import { agentRunsMigration } from './agent-runs/table.js';
import { auditIndexMigration } from './audit-index/table.js';
import { coderSessionDevicesMigration, coderSessionsMigration } from './coder-sessions/table.js';
import { complianceMigration } from './compliance/table.js';
import { costMigration } from './cost/table.js';
import { crossVendorEvalsMigration } from './cross-vendor-evals/table.js';
import { evolutionMigration, evolutionSpendMigration } from './evolution/table.js';
import { puItemsMigration } from './pu-items/table.js';
import { qualityDriftL4Migration, qualityDriftMigration } from './quality-drift/table.js';
import { qualityTriageMigration } from './quality-triage/table.js';
import { runnerMigration } from './runner/table.js';
import { useCasesMigration } from './use-cases/table.js';
import { workflowRunsMigration } from './workflow-runs/table.js';

const migrations: Record<string, Migration> = {
  '0001_runner': runnerMigration,
  '0002_audit_index': auditIndexMigration,
  '0003_cost': costMigration,
  '0004_agent_runs': agentRunsMigration,
  '0005_workflow_runs': workflowRunsMigration,
  '0006_compliance': complianceMigration,
  '0007_use_cases': useCasesMigration,
  '0008_cross_vendor_evals': crossVendorEvalsMigration,
  '0009_quality_drift': qualityDriftMigration,
  '0013_evolution': evolutionMigration,
  '0011_quality_drift_l4': qualityDriftL4Migration,
  '0012_quality_triage': qualityTriageMigration,
  '0010_activity': activityMigration,
  '0014_evolution_spend': evolutionSpendMigration,
  '0015_coder_sessions': coderSessionsMigration,
  '0016_pu_items': puItemsMigration,
  '0017_coder_session_devices': coderSessionDevicesMigration,
};

/** For the specs that migrate from each earlier version. */
export { migrations as readModelMigrations };

const migrator = (db: Kysely<unknown>) =>
  new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'projections_migrations',
    migrationLockTableName: 'projections_migrations_lock',
  });

function check(outcome: MigrationResultSet, what: string): void {
  if (!outcome.error) return;
  const failed = outcome.results?.find((r) => r.status === 'Error')?.migrationName;
  throw new Error(`read-model ${what} ${failed ?? ''} failed: ${String(outcome.error)}`);
}

/** Creates or updates every read-model table (the events table is the store's own). */
export async function migrateReadModels(options: { db: Kysely<unknown> }): Promise<void> {
  check(await migrator(options.db).migrateToLatest(), 'migration');
}

/** Drops every read-model table and the runner's checkpoints; the next start rebuilds them all. */
export async function dropReadModels(options: { db: Kysely<unknown> }): Promise<void> {
  check(await migrator(options.db).migrateTo(NO_MIGRATIONS), 'drop');
}

import {
  migrateBudget,
  migrateDocuments,
  migrateGateway,
  migrateIntegrationCredentials,
  migrateKeptInputs,
  migrateSecrets,
  migrateWorkflowKeptOutputs,
} from '@proofpane/commands';
import { migrateReadModels } from '@proofpane/projections';
import type { Kysely } from 'kysely';
import { migrateCoderGate } from '../coder/active-gate.js';
import { migrateDevices } from '../devices/tables.js';
import { migrateHitl } from '../hitl/tables.js';
import { migrateIdentity } from '../identity/tables/migrations.js';
import { migrateIntegrations } from '../integrations/tables.js';
import { migrateJudgeQueue } from '../quality-judge/queue.js';
import { migrateWorkflowHooks } from '../workflow-runs/hook-table.js';
import { migrateWorkflows } from '../workflows/tables.js';

/** One group of tables with its own Kysely migration table (`<table>` holds the applied names). */
export interface MigrationSet {
  name: string;
  table: string;
  migrate(db: Kysely<unknown>): Promise<unknown>;
}

/**
 * Every table group a deployment holds besides the events (the store migrates those when it opens),
 * in the order their dependencies need: the budget trigger reads the events table, the read models
 * come last. A capability that adds a migrator adds its line here, or `proofpane migrate` misses it.
 */
export const MIGRATION_SETS: readonly MigrationSet[] = [
  { name: 'identity', table: 'identity_migrations', migrate: migrateIdentity },
  { name: 'gateway', table: 'gateway_migrations', migrate: migrateGateway },
  { name: 'budget', table: 'budget_migrations', migrate: migrateBudget },
  { name: 'secrets', table: 'secrets_migrations', migrate: migrateSecrets },
  { name: 'devices', table: 'devices_migrations', migrate: migrateDevices },
  { name: 'hitl', table: 'hitl_migrations', migrate: migrateHitl },
  { name: 'workflows', table: 'workflows_migrations', migrate: migrateWorkflows },
  { name: 'workflow-hooks', table: 'workflow_hooks_migrations', migrate: migrateWorkflowHooks },
  {
    name: 'workflow-kept-outputs',
    table: 'workflow_kept_outputs_migrations',
    migrate: migrateWorkflowKeptOutputs,
  },
  { name: 'integrations', table: 'integrations_migrations', migrate: migrateIntegrations },
  {
    name: 'integration-credentials',
    table: 'integration_credentials_migrations',
    migrate: migrateIntegrationCredentials,
  },
  { name: 'documents', table: 'documents_migrations', migrate: migrateDocuments },
  { name: 'quality-judge-queue', table: 'quality_judge_migrations', migrate: migrateJudgeQueue },
  {
    name: 'evolution-kept-inputs',
    table: 'evolution_kept_inputs_migrations',
    migrate: migrateKeptInputs,
  },
  { name: 'coder-gate', table: 'coder_gate_migrations', migrate: migrateCoderGate },
  { name: 'read-models', table: 'projections_migrations', migrate: (db) => migrateReadModels({ db }) },
];

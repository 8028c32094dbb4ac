import { migrateBudget, migrateGateway } from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';
import type { Kysely } from 'kysely';
import { migrateDevices } from '../devices/tables.js';
import { migrateHitl } from '../hitl/tables.js';
import { migrateIdentity } from '../identity/tables/migrations.js';
import { migrateIntegrations } from '../integrations/tables.js';
import { migrateWorkflowHooks } from '../workflow-runs/hook-table.js';
import { migrateWorkflows } from '../workflows/tables.js';
import { rebuildBudgetTables } from './budget.js';
import { deviceTables } from './devices.js';
import { hitlTables } from './hitl.js';
import { identityTables } from './identity.js';
import { integrationTables } from './integrations.js';
import { mcpTables } from './mcp.js';
import { policyTables } from './policy.js';
import type { InlineTableGroup, RebuildOutcome } from './types.js';
import { workflowHookTables } from './workflow-hooks.js';
import { workflowTables } from './workflows.js';

/** In rebuild order: `mcp` reads the devices' agent scopes, so it follows `devices`. */
export const INLINE_TABLE_NAMES = [
  'identity',
  'policy',
  'devices',
  'mcp',
  'hitl',
  'workflows',
  'workflow-hooks',
  'integrations',
  'budget',
] as const;
export type InlineTableName = (typeof INLINE_TABLE_NAMES)[number];

const GROUPS: Record<Exclude<InlineTableName, 'budget'>, InlineTableGroup> = {
  identity: identityTables,
  policy: policyTables,
  devices: deviceTables,
  mcp: mcpTables,
  hitl: hitlTables,
  workflows: workflowTables,
  'workflow-hooks': workflowHookTables,
  integrations: integrationTables,
};

export const isInlineTableName = (name: string): name is InlineTableName =>
  (INLINE_TABLE_NAMES as readonly string[]).includes(name);

export interface TableRebuildReport extends RebuildOutcome {
  name: InlineTableName;
}

/** Creates any missing inline table, as the server does on start, so a rebuild can run on its own. */
export async function migrateInlineTables(db: Kysely<unknown>): Promise<void> {
  await migrateIdentity(db);
  await migrateGateway(db);
  await migrateBudget(db);
  await migrateDevices(db);
  await migrateHitl(db);
  await migrateWorkflows(db);
  await migrateWorkflowHooks(db);
  await migrateIntegrations(db);
}

/**
 * Empties the inline read models named (all when none) and derives them again from the org chains.
 * Each group is one transaction: a failure leaves its tables as they were. Running it again gives the
 * same rows.
 */
export async function rebuildInlineTables(options: {
  db: Kysely<unknown>;
  store: EventStore;
  reservationTtlSeconds: number;
  names?: readonly InlineTableName[];
  onTable?: (report: TableRebuildReport) => void;
}): Promise<TableRebuildReport[]> {
  const wanted = new Set(options.names?.length ? options.names : INLINE_TABLE_NAMES);
  const reports: TableRebuildReport[] = [];
  for (const name of INLINE_TABLE_NAMES) {
    if (!wanted.has(name)) continue;
    const outcome =
      name === 'budget'
        ? await rebuildBudgetTables({
            db: options.db,
            store: options.store,
            ttlSeconds: options.reservationTtlSeconds,
          })
        : await options.db.transaction().execute((trx) => GROUPS[name].rebuild(trx));
    const report = { name, ...outcome };
    options.onTable?.(report);
    reports.push(report);
  }
  return reports;
}

import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * Webhook triggers by the SHA-256 of their URL token: an inline read model of the `cp.workflow.hook.*`
 * events, written in each append's transaction and rebuildable from them (`proofpane rebuild-tables
 * workflow-hooks`). Neither the token nor the signing secret is stored.
 */
const migrations: Record<string, Migration> = {
  '0001_workflow_hooks': {
    async up(db) {
      await sql`CREATE TABLE workflow_hooks (
        hook_id text PRIMARY KEY, org text NOT NULL, workflow_id text NOT NULL, token_sha256 text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL, revoked_at timestamptz)`.execute(db);
      await sql`CREATE INDEX workflow_hooks_by_workflow ON workflow_hooks (org, workflow_id, created_at)`.execute(
        db,
      );
    },
  },
};

export async function migrateWorkflowHooks(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'workflow_hooks_migrations',
    migrationLockTableName: 'workflow_hooks_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`workflow hooks migration failed: ${String(error)}`);
}

export const HOOK_TABLE_TYPES = ['cp.workflow.hook.created', 'cp.workflow.hook.revoked'] as const;

export interface HookRow {
  hook_id: string;
  org: string;
  workflow_id: string;
  token_sha256: string;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

/** The rows the hook events imply, through the append's (or the rebuild's) transaction. */
export async function applyHookEvents(trx: Kysely<unknown>, events: readonly EventEnvelope[]): Promise<void> {
  for (const event of events) {
    const data = event.data as { hookId: string; workflowId?: string; tokenSha256?: string };
    if (event.type === 'cp.workflow.hook.created')
      await sql`INSERT INTO workflow_hooks (hook_id, org, workflow_id, token_sha256, created_at)
        VALUES (${data.hookId}, ${event.org}, ${data.workflowId}, ${data.tokenSha256}, ${event.time})`.execute(
        trx,
      );
    if (event.type === 'cp.workflow.hook.revoked')
      await sql`UPDATE workflow_hooks SET revoked_at = ${event.time}
        WHERE org = ${event.org} AND hook_id = ${data.hookId} AND revoked_at IS NULL`.execute(trx);
  }
}

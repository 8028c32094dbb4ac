import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * Workflow definitions and their versions: an inline read model of the `cp.workflow.*` definition
 * events, written in each append's transaction and rebuildable from them (`proofpane rebuild-tables
 * workflows`). A version's graph is the event's, as JSON text.
 */
const migrations: Record<string, Migration> = {
  '0001_workflows': {
    async up(db) {
      await sql`CREATE TABLE workflows (
        id text PRIMARY KEY, org text NOT NULL, name text NOT NULL, status text NOT NULL,
        latest_version integer NOT NULL, published_version integer, published_hash text, template_id text,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`.execute(db);
      await sql`CREATE INDEX workflows_by_org ON workflows (org, created_at DESC, id DESC)`.execute(db);
      await sql`CREATE TABLE workflow_versions (
        workflow_id text NOT NULL, version integer NOT NULL, org text NOT NULL, graph text NOT NULL,
        hash text NOT NULL, status text NOT NULL, saved_by text NOT NULL, saved_at timestamptz NOT NULL,
        published_at timestamptz, PRIMARY KEY (workflow_id, version))`.execute(db);
    },
  },
};

export async function migrateWorkflows(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'workflows_migrations',
    migrationLockTableName: 'workflows_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`workflows migration failed: ${String(error)}`);
}

export interface WorkflowRow {
  id: string;
  org: string;
  name: string;
  status: 'draft' | 'published' | 'deprecated';
  latest_version: number;
  published_version: number | null;
  published_hash: string | null;
  template_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface WorkflowVersionRow {
  workflow_id: string;
  version: number;
  org: string;
  graph: string;
  hash: string;
  status: 'draft' | 'published';
  saved_by: string;
  saved_at: Date;
  published_at: Date | null;
}

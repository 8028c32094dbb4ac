import type { HitlKind, HitlRequest, HitlRisk, HitlStatus } from '@proofpane/api';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * The HITL queue as an inline read model of the `cp.hitl.*` events (rebuildable from them),
 * plus desktop approvers whose token hashes live only here.
 */
const migrations: Record<string, Migration> = {
  '0001_hitl': {
    async up(db) {
      await sql`CREATE TABLE hitl_requests (
        id text PRIMARY KEY, org text NOT NULL, kind text NOT NULL, target text NOT NULL,
        args_sha256 text NOT NULL, arg_class text NOT NULL, risk text NOT NULL, summary text NOT NULL,
        reason text NOT NULL, context text NOT NULL, status text NOT NULL,
        created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL,
        resolved_at timestamptz, decision text, remember boolean NOT NULL DEFAULT false, note text,
        resolved_by text, auto boolean NOT NULL DEFAULT false, consumed boolean NOT NULL DEFAULT false,
        precedent_revoked boolean NOT NULL DEFAULT false)`.execute(db);
      await sql`CREATE INDEX hitl_requests_queue ON hitl_requests (org, status, created_at DESC, id)`.execute(
        db,
      );
      await sql`CREATE INDEX hitl_requests_due ON hitl_requests (expires_at) WHERE status = 'pending'`.execute(
        db,
      );
      await sql`CREATE TABLE hitl_approvers (
        id text PRIMARY KEY, org text NOT NULL, name text NOT NULL, token_hash text NOT NULL UNIQUE,
        created_by text NOT NULL, created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL,
        revoked_at timestamptz)`.execute(db);
      await sql`CREATE TABLE hitl_approver_codes (
        code_hash text PRIMARY KEY, id text NOT NULL UNIQUE, org text NOT NULL, created_by text NOT NULL,
        expires_at timestamptz NOT NULL, used_at timestamptz)`.execute(db);
    },
  },
};

export async function migrateHitl(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'hitl_migrations',
    migrationLockTableName: 'hitl_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`hitl migration failed: ${String(error)}`);
}

export interface HitlRow {
  id: string;
  org: string;
  kind: HitlKind;
  target: string;
  args_sha256: string;
  arg_class: string;
  risk: HitlRisk;
  summary: string;
  reason: string;
  context: string;
  status: HitlStatus;
  created_at: Date;
  expires_at: Date;
  resolved_at: Date | null;
  decision: string | null;
  remember: boolean;
  note: string | null;
  resolved_by: string | null;
  auto: boolean;
  consumed: boolean;
  precedent_revoked: boolean;
}

/** The row as the HITL routes answer with it. */
export function hitlView(row: HitlRow): HitlRequest {
  return {
    id: row.id,
    kind: row.kind,
    subject: `hitl/${row.id}`,
    target: row.target,
    risk: row.risk,
    summary: row.summary,
    reason: row.reason,
    context: JSON.parse(row.context) as Record<string, unknown>,
    argsSha256: row.args_sha256,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    consumed: row.consumed,
    ...(row.resolved_at
      ? {
          resolution: {
            decision: row.decision as 'approve' | 'deny',
            by: row.resolved_by ?? 'system',
            auto: row.auto,
            remember: row.remember,
            ...(row.note ? { note: row.note } : {}),
            at: new Date(row.resolved_at).toISOString(),
          },
        }
      : {}),
  };
}

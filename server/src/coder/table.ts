import type { EventData, EventEnvelope } from '@proofpane/core';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * `coder_sessions`: one row per session, an inline read model of the `cp.coder.*` events written in each
 * append's transaction. It lists an org's sessions and gates the number of active ones exactly: the row
 * of a new session is inserted in the append's transaction, which fails when the org is at its limit.
 */
const migrations: Record<string, Migration> = {
  '0001_coder_sessions': {
    async up(db) {
      await sql`CREATE TABLE coder_sessions (
        id text PRIMARY KEY, org text NOT NULL, mode text NOT NULL, status text NOT NULL, goal text NOT NULL,
        repo text, branch text, run_id text NOT NULL, created_by text NOT NULL,
        iterations integer NOT NULL DEFAULT 0, input_tokens bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0, stop text, files_changed integer, diff_sha256 text,
        commit_sha text, artifact_sha256 text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`.execute(
        db,
      );
      await sql`CREATE INDEX coder_sessions_by_org ON coder_sessions (org, created_at DESC, id DESC)`.execute(
        db,
      );
    },
  },
};

export async function migrateCoderSessions(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'coder_sessions_migrations',
    migrationLockTableName: 'coder_sessions_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`coder sessions migration failed: ${String(error)}`);
}

export interface CoderSessionRow {
  id: string;
  org: string;
  mode: 'repo' | 'greenfield';
  status: 'awaiting_run' | 'running' | 'finished' | 'applied' | 'discarded';
  goal: string;
  repo: string | null;
  branch: string | null;
  run_id: string;
  created_by: string;
  iterations: number;
  input_tokens: string | number;
  output_tokens: string | number;
  stop: string | null;
  files_changed: number | null;
  diff_sha256: string | null;
  commit_sha: string | null;
  artifact_sha256: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** Thrown inside the append's transaction, so the session's creation is not recorded at all. */
export class ActiveSessionLimit extends Error {}

/** Applies coder events to `coder_sessions`, in order: the inline write of an append, and a rebuild. */
export async function applyCoderEvents(
  trx: Kysely<unknown>,
  events: readonly EventEnvelope[],
  options: { maxActive?: number } = {},
): Promise<void> {
  for (const event of events) {
    const at = new Date(event.time);
    const id = (event.data as { sessionId?: string }).sessionId;
    const set = (status: string | null, extra = sql``) =>
      sql`UPDATE coder_sessions SET status = COALESCE(${status}, status), updated_at = ${at} ${extra}
        WHERE org = ${event.org} AND id = ${id}`.execute(trx);
    switch (event.type) {
      case 'cp.coder.session.created': {
        const data = event.data as EventData<'cp.coder.session.created'>;
        if (options.maxActive !== undefined) {
          const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM coder_sessions
            WHERE org = ${event.org} AND status IN ('awaiting_run', 'running', 'finished')`.execute(trx);
          if (Number(rows[0]?.n ?? 0) >= options.maxActive) throw new ActiveSessionLimit();
        }
        await sql`INSERT INTO coder_sessions (id, org, mode, status, goal, repo, branch, run_id, created_by, created_at, updated_at)
          VALUES (${data.sessionId}, ${event.org}, ${data.mode}, 'awaiting_run', ${data.goal}, ${data.repo ?? null},
            ${data.branch ?? null}, ${data.runId}, ${event.actor.id}, ${at}, ${at})`.execute(trx);
        break;
      }
      case 'cp.coder.session.started':
        await set('running');
        break;
      case 'cp.coder.iteration.recorded': {
        const data = event.data as EventData<'cp.coder.iteration.recorded'>;
        await set(
          null,
          sql`, iterations = ${data.iteration}, input_tokens = input_tokens + ${data.inputTokens},
            output_tokens = output_tokens + ${data.outputTokens}`,
        );
        break;
      }
      case 'cp.coder.session.finished': {
        const data = event.data as EventData<'cp.coder.session.finished'>;
        await set(
          'finished',
          sql`, stop = ${data.stop}, files_changed = ${data.filesChanged}, diff_sha256 = ${data.diffSha256}`,
        );
        break;
      }
      case 'cp.coder.session.applied': {
        const data = event.data as EventData<'cp.coder.session.applied'>;
        await set(
          'applied',
          sql`, commit_sha = ${data.commit ?? null}, artifact_sha256 = ${data.artifactSha256 ?? null}`,
        );
        break;
      }
      case 'cp.coder.session.discarded':
        await set('discarded');
        break;
    }
  }
}

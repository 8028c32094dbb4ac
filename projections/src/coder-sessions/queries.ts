import { type Kysely, sql } from 'kysely';
import { untilProjected } from '../runner/until-projected.js';
import { coderSessionsProjection } from './projection.js';

export type CoderSessionStatus = 'awaiting_run' | 'running' | 'finished' | 'applied' | 'discarded';

export interface CoderSessionListItem {
  id: string;
  mode: 'repo' | 'greenfield';
  status: CoderSessionStatus;
  goal: string;
  repo: string | null;
  /** The paired device holding the repository; null when it is in the server's workspace. */
  deviceId: string | null;
  branch: string | null;
  runId: string;
  createdBy: string;
  createdAt: string;
  iterations: number;
  tokens: number;
  stop: string | null;
  filesChanged: number | null;
  artifactSha256: string | null;
}

interface SessionRow {
  id: string;
  mode: 'repo' | 'greenfield';
  status: CoderSessionStatus;
  goal: string;
  repo: string | null;
  device_id: string | null;
  branch: string | null;
  run_id: string;
  created_by: string;
  created_at: Date | string;
  iterations: number;
  input_tokens: string | number;
  output_tokens: string | number;
  stop: string | null;
  files_changed: number | null;
  artifact_sha256: string | null;
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

const view = (row: SessionRow): CoderSessionListItem => ({
  id: row.id,
  mode: row.mode,
  status: row.status,
  goal: row.goal,
  repo: row.repo,
  deviceId: row.device_id,
  branch: row.branch,
  runId: row.run_id,
  createdBy: row.created_by,
  createdAt: iso(row.created_at),
  iterations: row.iterations,
  tokens: Number(row.input_tokens) + Number(row.output_tokens),
  stop: row.stop,
  filesChanged: row.files_changed,
  artifactSha256: row.artifact_sha256,
});

/** An org's coder and greenfield sessions, newest first. */
export async function listCoderSessions(
  db: Kysely<unknown>,
  options: { org: string; limit: number },
): Promise<CoderSessionListItem[]> {
  const { rows } = await sql<SessionRow>`
    SELECT * FROM coder_sessions WHERE org = ${options.org}
    ORDER BY created_at DESC, id DESC LIMIT ${options.limit}`.execute(db);
  return rows.map(view);
}

/** One session's list row, or undefined when the org has none of that id (or it is not applied yet). */
export async function coderSessionById(
  db: Kysely<unknown>,
  options: { org: string; sessionId: string },
): Promise<CoderSessionListItem | undefined> {
  const { rows } = await sql<SessionRow>`
    SELECT * FROM coder_sessions WHERE org = ${options.org} AND id = ${options.sessionId}`.execute(db);
  return rows[0] ? view(rows[0]) : undefined;
}

/** Resolves once the list has applied every committed event of its types (false after `timeoutMs`). */
export const untilCoderSessionsProjected = (db: Kysely<unknown>, timeoutMs = 5_000): Promise<boolean> =>
  untilProjected({ db, projections: [coderSessionsProjection], timeoutMs });

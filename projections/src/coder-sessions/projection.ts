import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { count, isoTime, optionalText, text } from '../runner/fields.js';
import type { Projection } from '../runner/projection.js';
import { CODER_SESSIONS_TABLES } from './table.js';

const intOrNull = (value: unknown) => (typeof value === 'number' ? value : null);

async function applyOne(tx: Kysely<unknown>, event: EventEnvelope): Promise<void> {
  const data = event.data as Record<string, unknown>;
  const { org } = event;
  const at = isoTime(event.time);
  const set = (status: string | null, extra = sql``) =>
    sql`UPDATE coder_sessions SET status = COALESCE(${status}, status), updated_at = ${at}::timestamptz ${extra}
      WHERE org = ${org} AND id = ${text(data, 'sessionId')}`.execute(tx);
  switch (event.type) {
    case 'cp.coder.session.created':
      await sql`
        INSERT INTO coder_sessions (org, id, mode, status, goal, repo, device_id, branch, run_id, created_by, created_at, updated_at)
        VALUES (${org}, ${text(data, 'sessionId')}, ${text(data, 'mode')}, 'awaiting_run', ${text(data, 'goal')},
          ${optionalText(data, 'repo')}, ${optionalText(data, 'deviceId')}, ${optionalText(data, 'branch')}, ${text(data, 'runId')}, ${event.actor.id},
          ${at}::timestamptz, ${at}::timestamptz)
        ON CONFLICT (org, id) DO NOTHING`.execute(tx);
      return;
    case 'cp.coder.session.started':
      await set('running');
      return;
    case 'cp.coder.iteration.recorded':
      await set(
        null,
        sql`, iterations = ${count(data, 'iteration')}, input_tokens = input_tokens + ${count(data, 'inputTokens')},
          output_tokens = output_tokens + ${count(data, 'outputTokens')}`,
      );
      return;
    case 'cp.coder.session.finished':
      await set(
        'finished',
        sql`, stop = ${text(data, 'stop')}, files_changed = ${intOrNull(data.filesChanged)},
          diff_sha256 = ${optionalText(data, 'diffSha256')}`,
      );
      return;
    case 'cp.coder.session.applied':
      await set(
        'applied',
        sql`, commit_sha = ${optionalText(data, 'commit')}, artifact_sha256 = ${optionalText(data, 'artifactSha256')}`,
      );
      return;
    case 'cp.coder.session.discarded':
      await set('discarded');
      return;
    default:
      return;
  }
}

/** Repo Coder and Greenfield sessions (docs/coder.md): the list the console shows, per org, newest first. */
export const coderSessionsProjection: Projection = {
  name: 'coder-sessions',
  // 2: the list carries the device a session's repository is on.
  version: 2,
  handles: [
    'cp.coder.session.created',
    'cp.coder.session.started',
    'cp.coder.iteration.recorded',
    'cp.coder.session.finished',
    'cp.coder.session.applied',
    'cp.coder.session.discarded',
  ],
  tables: CODER_SESSIONS_TABLES,
  async apply({ tx, events }) {
    for (const { event } of events) await applyOne(tx, event);
  },
};

import type { EventStore } from '@proofpane/core';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { InputKeeper } from '../skills/input-keeper.js';
import type { RecordedInputReader } from './replay-inputs.js';
import { loadEvolutionSettings } from './settings.js';

/** A kept input longer than this is cut, and then replayed as the text it is. */
export const KEPT_INPUT_CHARS = 20_000;

const migrations: Record<string, Migration> = {
  '0001_evolution_kept_inputs': {
    async up(db) {
      // Each skill run's input as its provider received it (DLP-masked), for replays; never in events.
      await sql`CREATE TABLE evolution_kept_inputs (
        org text NOT NULL, run_id text NOT NULL, skill text NOT NULL, input_text text NOT NULL,
        kept_at timestamptz NOT NULL, PRIMARY KEY (org, run_id))`.execute(db);
      await sql`CREATE INDEX evolution_kept_inputs_by_skill
        ON evolution_kept_inputs (org, skill, kept_at DESC, run_id)`.execute(db);
    },
  },
};

export async function migrateKeptInputs(db: Kysely<unknown>): Promise<void> {
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'evolution_kept_inputs_migrations',
    migrationLockTableName: 'evolution_kept_inputs_migrations_lock',
  }).migrateToLatest();
  if (error) throw new Error(`evolution kept inputs migration failed: ${String(error)}`);
}

const cutoff = (at: string, days: number) => new Date(Date.parse(at) - days * 86_400_000).toISOString();

/**
 * The evolution keeper (decision 0043): a run's masked input is written with the run's event and the
 * skill's kept inputs trimmed to the org's `replayKeepRuns` newest within `replayKeepDays`, in the same
 * transaction. An org keeping 0 keeps nothing.
 */
export const evolutionInputKeeper = (store: EventStore): InputKeeper => ({
  async keep({ org, skillId, runId, maskedInput }) {
    const { replayKeepRuns, replayKeepDays } = await loadEvolutionSettings({ store, org });
    if (replayKeepRuns === 0) return null;
    const text = maskedInput.slice(0, KEPT_INPUT_CHARS);
    return async (trx, appended) => {
      const at = appended[0]?.time ?? new Date().toISOString();
      await sql`INSERT INTO evolution_kept_inputs (org, run_id, skill, input_text, kept_at)
        VALUES (${org}, ${runId}, ${skillId}, ${text}, ${at}::timestamptz)
        ON CONFLICT (org, run_id) DO NOTHING`.execute(trx);
      await sql`DELETE FROM evolution_kept_inputs
        WHERE org = ${org} AND skill = ${skillId}
          AND (kept_at < ${cutoff(at, replayKeepDays)}::timestamptz OR run_id NOT IN (
            SELECT run_id FROM evolution_kept_inputs WHERE org = ${org} AND skill = ${skillId}
            ORDER BY kept_at DESC, run_id DESC LIMIT ${replayKeepRuns}))`.execute(trx);
    };
  },
});

/**
 * The kept inputs of one skill in one org, newest first, within the org's age limit (an org that ran the
 * skill no more since has had nothing trimmed). One the cut left unparseable is replayed as its text.
 */
export const keptSkillInputs =
  (options: { db: Kysely<unknown>; store: EventStore; now?: () => Date }): RecordedInputReader =>
  async ({ org, skill, limit }) => {
    const { replayKeepDays } = await loadEvolutionSettings({ store: options.store, org });
    const now = (options.now?.() ?? new Date()).toISOString();
    const { rows } = await sql<{ run_id: string; input_text: string }>`
      SELECT run_id, input_text FROM evolution_kept_inputs
      WHERE org = ${org} AND skill = ${skill} AND kept_at >= ${cutoff(now, replayKeepDays)}::timestamptz
      ORDER BY kept_at DESC, run_id DESC LIMIT ${limit}`.execute(options.db);
    return rows.map((r) => ({ runId: r.run_id, input: parsed(r.input_text) }));
  };

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

import type { RecordedInputReader } from '@proofpane/commands';
import { type Kysely, sql } from 'kysely';

/**
 * A skill's recorded inputs for replays: the sampling queue's held inputs (docs/quality.md), judged or
 * not, DLP-masked and cut as the skills plugin held them. Only the given org's rows of the given skill
 * are read. A held input is the run's input as JSON text; one the cut left unparseable is replayed as
 * the text it is.
 */
export const recordedSkillInputs =
  (db: Kysely<unknown>): RecordedInputReader =>
  async ({ org, skill, limit }) => {
    const { rows } = await sql<{ run_id: string; input_text: string }>`
      SELECT run_id, input_text FROM quality_judge_queue
      WHERE org = ${org} AND skill = ${skill}
      ORDER BY queued_at DESC, run_id LIMIT ${limit}`.execute(db);
    return rows.map((r) => ({ runId: r.run_id, input: parsed(r.input_text) }));
  };

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

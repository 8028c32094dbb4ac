import { type Kysely, type Migration, Migrator, sql } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_quality_judge_queue': {
    async up(db) {
      // Sampled skill runs waiting for the judge: their input and output DLP-masked, held only until judged.
      await sql`CREATE TABLE quality_judge_queue (
        org text NOT NULL, run_id text NOT NULL, skill text NOT NULL, input_text text NOT NULL,
        output_text text NOT NULL, queued_at timestamptz NOT NULL, lease_holder text,
        lease_until timestamptz, PRIMARY KEY (org, run_id))`.execute(db);
      await sql`CREATE INDEX quality_judge_queue_by_skill ON quality_judge_queue (org, skill, queued_at)`.execute(
        db,
      );
    },
  },
};

export async function migrateJudgeQueue(db: Kysely<unknown>): Promise<void> {
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'quality_judge_migrations',
    migrationLockTableName: 'quality_judge_migrations_lock',
  }).migrateToLatest();
  if (error) throw new Error(`quality judge migration failed: ${String(error)}`);
}

export interface QueuedRun {
  org: string;
  runId: string;
  skill: string;
  inputText: string;
  outputText: string;
}

/**
 * The sampling queue (decision 0029): a run is claimed for `leaseMs` by one holder at a time, with a
 * conditional update, so two processes never judge it at once; a dead holder's claim lapses and another
 * takes it. The verdict's own decider is the backstop: a sampled run is recorded judged once.
 */
export function judgeQueue(db: Kysely<unknown>) {
  return {
    async offer(run: QueuedRun, at: Date): Promise<void> {
      await sql`INSERT INTO quality_judge_queue (org, run_id, skill, input_text, output_text, queued_at)
        VALUES (${run.org}, ${run.runId}, ${run.skill}, ${run.inputText}, ${run.outputText}, ${at.toISOString()}::timestamptz)
        ON CONFLICT (org, run_id) DO NOTHING`.execute(db);
    },
    async held(org: string, runId: string): Promise<QueuedRun | undefined> {
      const { rows } = await sql<{ skill: string; input_text: string; output_text: string }>`
        SELECT skill, input_text, output_text FROM quality_judge_queue
        WHERE org = ${org} AND run_id = ${runId}`.execute(db);
      const r = rows[0];
      return r && { org, runId, skill: r.skill, inputText: r.input_text, outputText: r.output_text };
    },
    /** Orgs with runs waiting, oldest first. */
    async orgs(): Promise<string[]> {
      const { rows } = await sql<{ org: string }>`
        SELECT org FROM quality_judge_queue GROUP BY org ORDER BY min(queued_at)`.execute(db);
      return rows.map((r) => r.org);
    },
    /**
     * Claims up to `limit` free runs of one org, stratified by skill: the oldest of each skill in turn, so
     * a skill with many runs cannot use up the budget line before the others are judged.
     */
    async claim(options: {
      org: string;
      holder: string;
      at: Date;
      leaseMs: number;
      limit: number;
    }): Promise<QueuedRun[]> {
      const { org, holder, at, limit } = options;
      const until = new Date(at.getTime() + options.leaseMs).toISOString();
      const { rows } = await sql<{
        run_id: string;
        skill: string;
        input_text: string;
        output_text: string;
      }>`
        WITH ranked AS (
          SELECT run_id, row_number() OVER (PARTITION BY skill ORDER BY queued_at, run_id) AS turn, queued_at
          FROM quality_judge_queue
          WHERE org = ${org} AND (lease_until IS NULL OR lease_until < ${at.toISOString()}::timestamptz)
        ), picked AS (
          SELECT run_id FROM ranked ORDER BY turn, queued_at, run_id LIMIT ${limit}
        )
        UPDATE quality_judge_queue q SET lease_holder = ${holder}, lease_until = ${until}::timestamptz
        FROM picked
        WHERE q.org = ${org} AND q.run_id = picked.run_id
          AND (q.lease_until IS NULL OR q.lease_until < ${at.toISOString()}::timestamptz)
        RETURNING q.run_id, q.skill, q.input_text, q.output_text`.execute(db);
      return rows.map((r) => ({
        org,
        runId: r.run_id,
        skill: r.skill,
        inputText: r.input_text,
        outputText: r.output_text,
      }));
    },
    /** Gives a claim back unjudged (the budget ran out mid-pass): another pass takes it. */
    async release(org: string, runId: string, holder: string): Promise<void> {
      await sql`UPDATE quality_judge_queue SET lease_holder = NULL, lease_until = NULL
        WHERE org = ${org} AND run_id = ${runId} AND lease_holder = ${holder}`.execute(db);
    },
    async remove(org: string, runId: string): Promise<void> {
      await sql`DELETE FROM quality_judge_queue WHERE org = ${org} AND run_id = ${runId}`.execute(db);
    },
  };
}

export type JudgeQueue = ReturnType<typeof judgeQueue>;

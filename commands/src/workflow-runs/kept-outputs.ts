import { type Actor, canonicalJson, type EventStore, sha256Hex } from '@proofpane/core';
import { type Kysely, type Migration, Migrator, sql, type Transaction } from 'kysely';

/**
 * A step output kept outside the log (decisions/0052): an integration step's values (lead fields, mail
 * text) live in `workflow_kept_outputs`, and its `cp.workflow.step.completed` carries only this
 * reference: where the value is, its SHA-256 (of the RFC 8785 canonical JSON) and the field names.
 */
export interface KeptOutputReference {
  kept: { ref: string; sha256: string; fields: string[] };
}

export const isKeptOutputReference = (value: unknown): value is KeptOutputReference => {
  const kept = (value as { kept?: unknown } | null)?.kept as Record<string, unknown> | undefined;
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof kept === 'object' &&
    kept !== null &&
    typeof kept.ref === 'string' &&
    typeof kept.sha256 === 'string' &&
    Array.isArray(kept.fields)
  );
};

/** The SHA-256 the event records: of the value's canonical JSON, so a copy can be checked against it. */
export const keptOutputSha256 = (value: unknown): string => sha256Hex(canonicalJson(value ?? null));

/** A kept output's bound: values are stored whole, so one step may keep at most this much canonical JSON. */
export const MAX_KEPT_OUTPUT_BYTES = 1_048_576;

export const keptOutputRef = (runId: string, nodeId: string, attempt: number) =>
  `workflow-output/${runId}/${nodeId}/${attempt}`;

/** One kept output as the run's page and later steps read it. */
export interface KeptOutput {
  runId: string;
  nodeId: string;
  attempt: number;
  sha256: string;
  fields: string[];
  value: unknown;
  createdAt: string;
  expiresAt: string;
}

/**
 * The side table. Rows are written only through an append's `inline` write, in the transaction of the
 * step's completion; every read names the org; expired rows read as absent and are purged.
 */
export interface KeptOutputs {
  /** The inline write for one completion; `retentionDays` from the deployment's setting. */
  write(
    trx: Transaction<unknown>,
    row: { org: string; runId: string; nodeId: string; attempt: number; value: unknown; fields: string[] },
  ): Promise<void>;
  /** The run's kept outputs that have not expired, by `ref`. */
  readRun(input: { org: string; runId: string }): Promise<Map<string, KeptOutput>>;
  /** The run's rows, expired ones included. */
  keys(input: { org: string; runId: string }): Promise<{ nodeId: string; attempt: number }[]>;
  /** Deletes these rows of the run, in the transaction that records their erasure. */
  erase(
    trx: Transaction<unknown>,
    input: { org: string; runId: string; keys: { nodeId: string; attempt: number }[] },
  ): Promise<void>;
  /** Deletes every row past its expiry; answers how many. */
  purgeExpired(): Promise<number>;
}

type Row = {
  org: string;
  run_id: string;
  node_id: string;
  attempt: number;
  sha256: string;
  fields: string;
  value: string;
  created_at: Date | string;
  expires_at: Date | string;
};

const migrations: Record<string, Migration> = {
  '0001_workflow_kept_outputs': {
    async up(db) {
      await sql`
        CREATE TABLE IF NOT EXISTS workflow_kept_outputs (
          org text NOT NULL,
          run_id text NOT NULL,
          node_id text NOT NULL,
          attempt integer NOT NULL,
          sha256 text NOT NULL,
          fields text NOT NULL,
          value text NOT NULL,
          created_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL,
          PRIMARY KEY (org, run_id, node_id, attempt)
        )`.execute(db);
      await sql`
        CREATE INDEX IF NOT EXISTS workflow_kept_outputs_expiry ON workflow_kept_outputs (expires_at)`.execute(
        db,
      );
    },
  },
};

/** Creates or upgrades the side table; its own migration table, like the other inline groups. */
export async function migrateWorkflowKeptOutputs(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'workflow_kept_outputs_migrations',
    migrationLockTableName: 'workflow_kept_outputs_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

const iso = (v: Date | string) => new Date(v).toISOString();

export function createKeptOutputs(options: {
  db: Kysely<unknown>;
  retentionDays: number;
  now?: () => Date;
}): KeptOutputs {
  const { db, retentionDays } = options;
  const now = options.now ?? (() => new Date());
  return {
    async write(trx, row) {
      const created = now();
      const expires = new Date(created.getTime() + retentionDays * 86_400_000);
      await sql`
        INSERT INTO workflow_kept_outputs
          (org, run_id, node_id, attempt, sha256, fields, value, created_at, expires_at)
        VALUES (${row.org}, ${row.runId}, ${row.nodeId}, ${row.attempt}, ${keptOutputSha256(row.value)},
          ${JSON.stringify(row.fields)}, ${JSON.stringify(row.value ?? null)}, ${created.toISOString()},
          ${expires.toISOString()})
        ON CONFLICT (org, run_id, node_id, attempt) DO NOTHING`.execute(trx);
    },
    async readRun({ org, runId }) {
      const { rows } = await sql<Row>`
        SELECT * FROM workflow_kept_outputs
        WHERE org = ${org} AND run_id = ${runId} AND expires_at > ${now().toISOString()}`.execute(db);
      return new Map(
        rows.map((r) => [
          keptOutputRef(r.run_id, r.node_id, r.attempt),
          {
            runId: r.run_id,
            nodeId: r.node_id,
            attempt: r.attempt,
            sha256: r.sha256,
            fields: JSON.parse(r.fields) as string[],
            value: JSON.parse(r.value) as unknown,
            createdAt: iso(r.created_at),
            expiresAt: iso(r.expires_at),
          },
        ]),
      );
    },
    async keys({ org, runId }) {
      const { rows } = await sql<{ node_id: string; attempt: number }>`
        SELECT node_id, attempt FROM workflow_kept_outputs
        WHERE org = ${org} AND run_id = ${runId} ORDER BY node_id, attempt`.execute(db);
      return rows.map((r) => ({ nodeId: r.node_id, attempt: r.attempt }));
    },
    async erase(trx, { org, runId, keys }) {
      for (const key of keys)
        await sql`
          DELETE FROM workflow_kept_outputs
          WHERE org = ${org} AND run_id = ${runId} AND node_id = ${key.nodeId} AND attempt = ${key.attempt}`.execute(
          trx,
        );
    },
    async purgeExpired() {
      const result = await sql`
        DELETE FROM workflow_kept_outputs WHERE expires_at <= ${now().toISOString()}`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
  };
}

/**
 * Erases a run's kept outputs before their retention runs out (an erasure request, GDPR Art. 17): the
 * rows go in the transaction that appends `cp.workflow.outputs.erased` with their count, so the log
 * shows that values were erased and by whom, never what they were. Answers the count (0: nothing kept,
 * nothing appended).
 */
export async function eraseKeptOutputs(options: {
  store: EventStore;
  kept: KeptOutputs;
  org: string;
  runId: string;
  actor: Actor;
}): Promise<number> {
  const { store, kept, org, runId, actor } = options;
  const keys = await kept.keys({ org, runId });
  if (keys.length === 0) return 0;
  await store.append({
    org,
    events: [
      {
        type: 'cp.workflow.outputs.erased',
        subject: `workflow-output/${runId}`,
        actor,
        data: { runId, count: keys.length },
        meta: { runId },
      },
    ],
    inline: (trx) => kept.erase(trx, { org, runId, keys }),
  });
  return keys.length;
}

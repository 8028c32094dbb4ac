import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * `coder_active_sessions`: the org's sessions not yet applied or discarded, one row each, written in each
 * append's transaction. It is a gate, not a list (the list is the `coder-sessions` projection): the row of
 * a new session is inserted in its append's transaction, which fails when the org is at its limit, so two
 * racing creations cannot both pass.
 */
const migrations: Record<string, Migration> = {
  '0001_coder_active_sessions': {
    async up(db) {
      await sql`CREATE TABLE coder_active_sessions (
        org text NOT NULL, session_id text NOT NULL, PRIMARY KEY (org, session_id))`.execute(db);
      // Sessions made before the gate existed, from the log: created and neither applied nor discarded.
      await sql`INSERT INTO coder_active_sessions (org, session_id)
        SELECT c.org, substr(c.subject, 7) FROM events c WHERE c.type = 'cp.coder.session.created'
          AND NOT EXISTS (SELECT 1 FROM events e WHERE e.org = c.org AND e.subject = c.subject
            AND e.type IN ('cp.coder.session.applied', 'cp.coder.session.discarded'))
        ON CONFLICT DO NOTHING`.execute(db);
    },
  },
};

export async function migrateCoderGate(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'coder_gate_migrations',
    migrationLockTableName: 'coder_gate_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`coder gate migration failed: ${String(error)}`);
}

/** Thrown inside the append's transaction, so the session's creation is not recorded at all. */
export class ActiveSessionLimit extends Error {}

export async function activeSessions(db: Kysely<unknown>, org: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`
    SELECT count(*) AS n FROM coder_active_sessions WHERE org = ${org}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Applies coder events to the gate, in order, inside the append's transaction. */
export async function applyCoderGate(
  trx: Kysely<unknown>,
  events: readonly EventEnvelope[],
  options: { maxActive?: number } = {},
): Promise<void> {
  for (const event of events) {
    const sessionId = (event.data as { sessionId?: string }).sessionId;
    if (!sessionId) continue;
    if (event.type === 'cp.coder.session.created') {
      // Serialises the org's creations: the count below then sees every committed one.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`coder-gate:${event.org}`}))`.execute(trx);
      if (options.maxActive !== undefined && (await activeSessions(trx, event.org)) >= options.maxActive)
        throw new ActiveSessionLimit();
      await sql`INSERT INTO coder_active_sessions (org, session_id) VALUES (${event.org}, ${sessionId})
        ON CONFLICT DO NOTHING`.execute(trx);
    } else if (event.type === 'cp.coder.session.applied' || event.type === 'cp.coder.session.discarded') {
      await sql`DELETE FROM coder_active_sessions WHERE org = ${event.org} AND session_id = ${sessionId}`.execute(
        trx,
      );
    }
  }
}

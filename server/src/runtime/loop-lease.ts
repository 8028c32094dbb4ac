import { createHash } from 'node:crypto';
import type { Database } from '@proofpane/core';
import { sql } from 'kysely';

/** The first half of PostgreSQL's two-key advisory lock space that loop leases use ("PP"). */
const LOCK_CLASS = 0x5050;

/** A stable 32-bit lock key per loop name, so every process asks for the same lock. */
export function loopLockKey(name: string): number {
  return createHash('sha256').update(`proofpane.loop.${name}`).digest().readInt32BE(0);
}

/**
 * Session advisory locks held on one reserved connection: a lock is the lease, and it goes away with
 * the session, so a process that dies (or loses its connection) frees its loops for a standby at once.
 * On PGlite, one process owns the database and every lease is granted.
 */
export interface LoopLeases {
  /** True once this process holds the lease for `name` (it keeps it until `close`). */
  tryAcquire(name: string): Promise<boolean>;
  /** Whether the session still holds its leases; false means every leased loop must stop. */
  alive(): Promise<boolean>;
  close(): Promise<void>;
}

export function openLoopLeases(database: Database): LoopLeases {
  if (database.driver === 'pglite') {
    return { tryAcquire: async () => true, alive: async () => true, close: async () => {} };
  }
  type Conn = Parameters<Parameters<ReturnType<typeof database.db.connection>['execute']>[0]>[0];
  let release: () => void = () => {};
  let session: Promise<Conn> | undefined;
  let held: Promise<void> | undefined;
  const open = () => {
    session ??= new Promise<Conn>((resolve, reject) => {
      const done = new Promise<void>((r) => {
        release = r;
      });
      // The connection stays reserved while `done` is pending; ending it ends the session's locks.
      held = database.db
        .connection()
        .execute(async (conn) => {
          resolve(conn);
          await done;
          await sql`SELECT pg_advisory_unlock_all()`.execute(conn).catch(() => {});
        })
        .catch(reject);
    });
    return session;
  };
  const forget = async () => {
    release();
    await held?.catch(() => {});
    session = undefined;
    held = undefined;
  };
  return {
    async tryAcquire(name) {
      const conn = await open();
      const { rows } = await sql<{ ok: boolean }>`
        SELECT pg_try_advisory_lock(${LOCK_CLASS}::int, ${loopLockKey(name)}::int) AS ok`.execute(conn);
      return rows[0]?.ok === true;
    },
    async alive() {
      if (!session) return true;
      try {
        await sql`SELECT 1`.execute(await session);
        return true;
      } catch {
        await forget();
        return false;
      }
    },
    close: forget,
  };
}

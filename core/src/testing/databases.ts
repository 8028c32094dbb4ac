import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../store/postgres/database.js';

export type TestDriver = 'pglite' | 'postgres';

/** PGlite always; real PostgreSQL too when DATABASE_URL is set (as in CI). */
export const testDrivers: TestDriver[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  database: Database;
  /** postgres:// URL of this database (real Postgres only), for child processes. */
  url: string | undefined;
  /** Closes the connections and drops the database. */
  dispose(): Promise<void>;
}

let template: Blob | undefined;
function pgliteTemplate(): Blob | undefined {
  if (!template) {
    const file = inject('pgliteTemplate');
    if (file) template = new Blob([readFileSync(file)]);
  }
  return template;
}

/** A database of its own for one spec file: a cloned in-memory PGlite, or `CREATE DATABASE` on the server. */
export async function createTestDatabase(
  driver: TestDriver,
  options: { dataDir?: string; poolSize?: number } = {},
): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const loadDataDir = options.dataDir ? undefined : pgliteTemplate();
    const database = await openDatabase({ dataDir: options.dataDir, loadDataDir });
    return { database, url: undefined, dispose: () => database.close() };
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is required for the postgres test driver');
  const name = `pp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: options.poolSize ?? 10 });
  return {
    database,
    url: url.toString(),
    dispose: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * Opens a transaction on another session of `database` and gives it a transaction id, so readers of
 * the global order cannot see past it until `release` commits it. Real Postgres only: PGlite has one
 * session.
 */
export async function holdOlderTransaction(database: Database): Promise<{ release(): Promise<void> }> {
  let release: () => void = () => {};
  let holding: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    holding = resolve;
  });
  const done = database.db.connection().execute(async (connection) => {
    await sql`BEGIN`.execute(connection);
    await sql`SELECT pg_current_xact_id()`.execute(connection);
    holding();
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    await sql`COMMIT`.execute(connection);
  });
  await Promise.race([held, done]);
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';

/** One Postgres-speaking database: the embedded PGlite default or a real server. */
export interface Database {
  readonly driver: 'pglite' | 'postgres';
  readonly db: Kysely<unknown>;
  /** Connections the database can use at once (1 for PGlite). */
  readonly concurrency: number;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent, PGlite. */
  url?: string | undefined;
  /** PGlite data folder; absent means in memory. */
  dataDir?: string | undefined;
  /** A PGlite data-dir tarball to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    const poolSize = options.poolSize ?? 10;
    const pool = new pg.Pool({ connectionString: options.url, max: poolSize });
    // An idle client whose server connection ends (restart, failover, DROP DATABASE) is dropped by
    // the pool and replaced on the next checkout; without a listener the error would crash the process.
    pool.on('error', () => {});
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    return { driver: 'postgres', db, concurrency: poolSize, close: () => db.destroy() };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    // pgvector ships with PGlite; loaded here so a read model may `CREATE EXTENSION vector` (documents).
    extensions: { vector },
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
  return {
    driver: 'pglite',
    db,
    concurrency: 1,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

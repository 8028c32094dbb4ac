import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '../core/src/index.js';

/**
 * Runs `use` on a database of its own: an in-memory PGlite without `url`, else a new database on that
 * PostgreSQL server, dropped afterwards, so a bench neither sees nor leaves other data.
 */
export async function withScratchDatabase<T>(
  url: string | undefined,
  use: (database: Database) => Promise<T>,
): Promise<T> {
  if (!url) {
    const database = await openDatabase({});
    try {
      return await use(database);
    } finally {
      await database.close();
    }
  }
  const { default: pg } = await import('pg');
  const name = `pp_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  // Write out what earlier cases left dirty now, so the server's checkpoint does not land mid-measurement.
  await admin.query('CHECKPOINT').catch(() => undefined);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ url: target.toString() });
  try {
    return await use(database);
  } finally {
    await database.close();
    // The pool's sockets close just after `close()` resolves; dropping at once would cut them mid-goodbye.
    await new Promise((resolve) => setTimeout(resolve, 250));
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await admin.end();
  }
}

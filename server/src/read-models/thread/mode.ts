import type { Database } from '@proofpane/core';
import type { Config } from '../../config.js';

export type ProjectionsMode =
  | { kind: 'worker'; databaseUrl: string }
  | { kind: 'inline' /** Why a requested worker was not used. */; refused?: string };

/**
 * A worker thread on PostgreSQL unless told `inline`; inline on PGlite, whose one connection lives
 * in this thread and cannot be opened from another. The thread opens its own pool from the
 * configured URL, so a database handed in without one stays inline too.
 */
export function projectionsMode(
  config: Pick<Config, 'projections' | 'databaseUrl'>,
  database: Database,
): ProjectionsMode {
  if (config.projections === 'inline') return { kind: 'inline' };
  const asked = config.projections === 'worker';
  if (database.driver === 'pglite')
    return asked
      ? { kind: 'inline', refused: 'PGlite is one connection owned by the server thread' }
      : { kind: 'inline' };
  if (!config.databaseUrl)
    return asked
      ? { kind: 'inline', refused: 'the thread needs DATABASE_URL to open its own pool' }
      : { kind: 'inline' };
  return { kind: 'worker', databaseUrl: config.databaseUrl };
}

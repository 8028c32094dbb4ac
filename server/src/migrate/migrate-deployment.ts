import { type Kysely, sql } from 'kysely';
import { MIGRATION_SETS, type MigrationSet } from './migration-sets.js';

export interface MigrationSetResult {
  set: string;
  /** Migrations this run applied, by name; empty when the set was already current. */
  applied: string[];
}

/** Kysely Migrator's shape: what ran, and the error that stopped the run if one did. */
export interface MigrateOutcome {
  results: MigrationSetResult[];
  error?: { set: string; cause: unknown };
}

async function appliedNames(db: Kysely<unknown>, table: string): Promise<Set<string>> {
  const { rows } = await sql<{
    present: boolean;
  }>`SELECT to_regclass(${table}) IS NOT NULL AS present`.execute(db);
  if (!rows[0]?.present) return new Set();
  const names = await sql<{ name: string }>`SELECT name FROM ${sql.table(table)}`.execute(db);
  return new Set(names.rows.map((r) => r.name));
}

/**
 * Brings every table group of a deployment to this version, set after set, and stops at the first
 * failure (earlier sets stay migrated: each migration is its own step, as Kysely runs them). The
 * events table is migrated by the store as it opens, before this runs.
 */
export async function migrateDeployment(options: {
  db: Kysely<unknown>;
  sets?: readonly MigrationSet[];
  progress?: (result: MigrationSetResult) => void;
}): Promise<MigrateOutcome> {
  const results: MigrationSetResult[] = [];
  for (const set of options.sets ?? MIGRATION_SETS) {
    const before = await appliedNames(options.db, set.table);
    try {
      await set.migrate(options.db);
    } catch (cause) {
      return { results, error: { set: set.name, cause } };
    }
    const after = await appliedNames(options.db, set.table);
    const result = { set: set.name, applied: [...after].filter((name) => !before.has(name)).sort() };
    results.push(result);
    options.progress?.(result);
  }
  return { results };
}

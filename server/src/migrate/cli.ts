import type { Command } from 'commander';
import { sql } from 'kysely';
import { loadConfig } from '../config.js';
import type { AdminCliDeps } from '../identity/admin/cli-commands.js';
import { migrateDeployment } from './migrate-deployment.js';

/** Progress goes to stderr, so stdout stays free for a pipe. */
const progress = (line: string) => process.stderr.write(`${line}\n`);

/** `proofpane migrate` (docs/operations.md, "Migrations"): a one-shot job before new api processes start. */
export function registerMigrateCommand(program: Command, deps: AdminCliDeps): void {
  program
    .command('migrate')
    .description(
      'bring the events table and every other table (inline tables, read models) to this version, then exit; run it once before starting api processes on a new or older database. Exit 0: migrated; 1: a migration failed (the ones before it stay applied); 2: bad configuration',
    )
    .action(async () => {
      const config = loadConfig(deps.env);
      // Opening the store migrates the events table (with PROOFPANE_EVENTS_PARTITIONS when it is created).
      const runtime = await deps.openRuntime(config);
      try {
        const { db } = runtime.database;
        const events = await sql<{ name: string }>`SELECT name FROM core_migrations ORDER BY name`.execute(
          db,
        );
        progress(`events: at ${events.rows.at(-1)?.name ?? 'nothing'} (${runtime.database.driver})`);
        const outcome = await migrateDeployment({
          db,
          progress: ({ set, applied }) =>
            progress(applied.length === 0 ? `${set}: up to date` : `${set}: applied ${applied.join(', ')}`),
        });
        if (outcome.error) {
          const cause =
            outcome.error.cause instanceof Error ? outcome.error.cause.message : String(outcome.error.cause);
          progress(`${outcome.error.set}: failed: ${cause}`);
          process.exitCode = 1;
          return;
        }
        const applied = outcome.results.reduce((n, r) => n + r.applied.length, 0);
        progress(`migrated: ${applied} migrations applied over ${outcome.results.length} table groups`);
      } finally {
        await runtime.close();
      }
    });
}

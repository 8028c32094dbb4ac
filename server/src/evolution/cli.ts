import { evolvableSkill } from '@proofpane/commands';
import { migrateReadModels, startProjections } from '@proofpane/projections';
import { type Command, InvalidArgumentError } from 'commander';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { AdminCliDeps } from '../identity/admin/cli-commands.js';

const progress = (line: string) => process.stderr.write(`${line}\n`);

const orgId = (value: string) => {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) throw new InvalidArgumentError('an org id');
  return value;
};

const skillId = (value: string) => {
  if (!evolvableSkill(value)) throw new InvalidArgumentError(`no evolvable skill "${value}"`);
  return value;
};

/**
 * `proofpane dream --org ID [--skill ID]`: one dream pass for one org now, as `POST /api/evolution/dream`
 * runs it (dreams even when the schedule is off; the budget line and the lease still hold). Progress goes
 * to stderr, the outcome as JSON to stdout. A failure (no events in the org, the pass failed) is thrown once
 * everything is closed, so the CLI reports it and exits 1.
 */
export function registerDreamCommand(program: Command, deps: AdminCliDeps): void {
  program
    .command('dream')
    .description(
      "run the evolution dream pass for one org now: propose genes from the log's signals (governed calls on the evolution budget line) and apply the stale rule",
    )
    .requiredOption('--org <id>', 'the org to dream for', orgId)
    .option('--skill <id>', 'only this evolvable skill', skillId)
    .action(async (options: { org: string; skill?: string }) => {
      const config = loadConfig(deps.env);
      const runtime = await deps.openRuntime(config);
      if ((await runtime.store.head(options.org)) === null) {
        await runtime.close();
        // Thrown after the database is closed: the CLI reports it and exits 1.
        throw new Error(`org ${options.org} has no events: nothing to dream on`);
      }
      // Migrated as `serve` migrates; no loop is started, so only this pass calls a model.
      const quiet = {
        ...config,
        role: 'api' as const,
        workflowEngine: { ...config.workflowEngine, enabled: false },
      };
      const app = await buildApp({ runtime: { ...runtime, config: quiet }, logger: false });
      let projections: Awaited<ReturnType<typeof startProjections>> | undefined;
      try {
        await app.ready();
        const { db } = runtime.database;
        await migrateReadModels({ db });
        progress('bringing the read models up to date');
        projections = await startProjections({ database: runtime.database, store: runtime.store });
        await projections.caughtUp();
        progress(`dreaming for ${options.org}${options.skill ? ` (${options.skill})` : ''}`);
        const result = await app.evolution.dreamPass(options.org, new Date(), true, options.skill);
        progress(
          result.dreamt
            ? `${result.signals} signals over ${result.skills} skills: ${result.proposed} genes proposed, ${result.deprecated} deprecated, ${result.costMicros} µUSD`
            : 'no dream: another process holds the lease, or the budget line is spent with no stale rule set',
        );
        deps.out(`${JSON.stringify(result)}\n`);
      } finally {
        await projections?.stop();
        await app.close();
        await runtime.close();
      }
    });
}

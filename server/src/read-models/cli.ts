import {
  defaultProjections,
  migrateReadModels,
  projectionStatus,
  rebuildProjections,
} from '@proofpane/projections';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openRuntime } from '../runtime/runtime.js';

/** `proofpane projections rebuild [NAME]` and `proofpane projections status`, on the server's configuration. */
export function registerProjectionCommands(program: Command): void {
  const projections = program
    .command('projections')
    .description('read models: rebuild them, show their state');

  projections
    .command('rebuild')
    .argument('[name]', 'one projection (audit-index, cost, agent-runs); all when omitted')
    .option('--batch-size <n>', 'events per transaction', '2000')
    .description('empty the read models and replay every event into them, with a progress bar')
    .action(async (name: string | undefined, options: { batchSize: string }) => {
      const runtime = await openRuntime({ config: loadConfig(process.env) });
      const tty = process.stderr.isTTY === true;
      const bar = new SingleBar({
        format: '{label} [{bar}] {percentage}% {value}/{total} events, {eta}s left',
        stream: process.stderr,
        hideCursor: tty,
      });
      let started = false;
      const label = name ?? 'all read models';
      try {
        const results = await rebuildProjections({
          database: runtime.database,
          ...(name ? { names: [name] } : {}),
          batchSize: Number(options.batchSize),
          onProgress: ({ done, total }) => {
            if (!tty) process.stderr.write(`rebuild ${done}/${total}\n`);
            else if (!started) {
              started = true;
              bar.start(total, done, { label });
            } else bar.update(done, { label });
          },
        });
        bar.stop();
        for (const r of results) {
          process.stdout.write(`${r.projection}: ${r.events} events replayed, ${r.failed} failed\n`);
        }
      } finally {
        bar.stop();
        await runtime.close();
      }
    });

  projections
    .command('status')
    .description("each projection's position, lag and failure count")
    .action(async () => {
      const runtime = await openRuntime({ config: loadConfig(process.env) });
      const { db } = runtime.database;
      try {
        await migrateReadModels({ db });
        for (const s of await projectionStatus({ db, projections: defaultProjections })) {
          process.stdout.write(
            `${s.name} v${s.version}: position ${s.position ?? '-'}, lag ${s.lag}, failures ${s.failureCount}\n`,
          );
        }
      } finally {
        await runtime.close();
      }
    });
}

import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { migrateReadModels, startProjections } from '@proofpane/projections';
import type { Command } from 'commander';
import { buildApp } from '../app.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import type { AdminCliDeps } from '../identity/admin/cli-commands.js';
import { dumpDeployment } from './dump.js';
import { type BackupSource, BackupWriter, fileSource, readRecords } from './format.js';
import { restoreDeployment, restoreKeyFiles } from './load.js';

/** Progress goes to stderr, so stdout stays free for a pipe. */
const progress = (line: string) => process.stderr.write(`${line}\n`);

function passphrase(config: Config, keyFile: string | undefined): string {
  const key = keyFile ? readFileSync(keyFile, 'utf8').trim() : config.backupKey;
  if (!key || key.length < 16)
    throw new ConfigError(
      'a backup key is needed: PROOFPANE_BACKUP_KEY or --key-file FILE (16 characters at least)',
    );
  return key;
}

/** `proofpane backup` and `proofpane restore` (docs/operations.md, "Backup and restore"). */
export function registerBackupCommands(program: Command, deps: AdminCliDeps): void {
  program
    .command('backup')
    .description(
      'write the events (hashes and checkpoints included), the tables that hold what events do not (password, token and code hashes, sealed provider keys) and the key files to FILE, encrypted (AES-256-GCM, scrypt) under PROOFPANE_BACKUP_KEY or --key-file',
    )
    .requiredOption('--out <file>', 'where to write the backup (created with mode 0600)')
    .option('--org <id>', 'back up one org only')
    .option('--key-file <file>', 'read the backup key from this file instead of PROOFPANE_BACKUP_KEY')
    .action(async (options: { out: string; org?: string; keyFile?: string }) => {
      const config = loadConfig(deps.env);
      const key = passphrase(config, options.keyFile);
      const runtime = await deps.openRuntime(config);
      const partial = `${options.out}.partial`;
      const fd = openSync(partial, 'w', 0o600);
      try {
        const writer = new BackupWriter(
          key,
          { createdAt: new Date().toISOString(), org: options.org ?? null },
          async (bytes) => {
            writeSync(fd, bytes);
          },
        );
        await writer.start();
        const report = await dumpDeployment({
          db: runtime.database.db,
          dataDir: config.dataDir,
          org: options.org,
          writer,
          progress,
        });
        await writer.finish();
        closeSync(fd);
        renameSync(partial, options.out);
        if (report.skipped.length > 0)
          progress(`left out of a one-org backup (nothing per org): ${report.skipped.join(', ')}`);
        progress(
          `backup written to ${options.out}: ${report.events} events, ${Object.keys(report.tables).length} tables`,
        );
      } catch (error) {
        closeSync(fd);
        rmSync(partial, { force: true });
        throw error;
      } finally {
        await runtime.close();
      }
    });

  program
    .command('restore')
    .description(
      'restore a backup into an empty database (refuses one that holds events or orgs), then verify every chain and rebuild the projections; the file is read a frame at a time, never whole',
    )
    .argument('<file>', 'a file written by proofpane backup')
    .option('--key-file <file>', 'read the backup key from this file instead of PROOFPANE_BACKUP_KEY')
    .action(async (file: string, options: { keyFile?: string }) => {
      const config = loadConfig(deps.env);
      const key = passphrase(config, options.keyFile);
      const source = await fileSource(file);
      try {
        await restoreFrom({ config, key, source, deps });
      } finally {
        await source.close();
      }
    });
}

/**
 * Reads the backup twice, a frame at a time: the first pass authenticates every frame to the end and
 * puts the key files in place before the keyring opens; the second applies the rows in one transaction.
 */
async function restoreFrom(options: {
  config: Config;
  key: string;
  source: BackupSource;
  deps: AdminCliDeps;
}): Promise<void> {
  const { config, key, source, deps } = options;
  const files = await restoreKeyFiles({ dataDir: config.dataDir, records: readRecords(source, key) });
  if (files.length > 0) progress(`key files: ${files.join(', ')}`);
  const runtime = await deps.openRuntime(config);
  // Every capability's tables, migrated as `serve` migrates them; nothing is started.
  const app = await buildApp({
    runtime: { ...runtime, config: { ...config, role: 'api' } },
    logger: false,
  });
  try {
    const { db } = runtime.database;
    await migrateReadModels({ db });
    const report = await restoreDeployment({
      db,
      dataDir: config.dataDir,
      records: readRecords(source, key),
      progress,
    });
    progress(
      `restored ${report.events} events and ${Object.keys(report.tables).length} tables${report.org ? ` of org ${report.org}` : ''}`,
    );
    let broken = 0;
    for (const org of await runtime.store.orgs()) {
      const verified = await runtime.store.verifyChain({ org });
      if (!verified.ok) {
        broken += 1;
        progress(`chain of ${org} does not verify`);
      }
    }
    progress(broken === 0 ? 'every chain verifies' : `${broken} chains do not verify`);
    progress('rebuilding the projections');
    const projections = await startProjections({ database: runtime.database, store: runtime.store });
    await projections.caughtUp();
    await projections.stop();
    progress('projections rebuilt');
    if (broken > 0) process.exitCode = 1;
  } finally {
    await app.close();
    await runtime.close();
  }
}

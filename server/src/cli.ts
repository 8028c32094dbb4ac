import { Command, InvalidArgumentError, Option } from 'commander';
import { registerBackupCommands } from './backup/cli.js';
import { ConfigError, loadConfig } from './config.js';
import { registerDreamCommand } from './evolution/cli.js';
import { type AdminCliDeps, addAdminCommands, defaultAdminDeps } from './identity/admin/cli-commands.js';
import { registerRebuildTablesCommand } from './inline-tables/cli.js';
import { registerMigrateCommand } from './migrate/cli.js';
import { registerProjectionCommands } from './read-models/cli.js';
import { PROCESS_ROLES, parseRole } from './runtime/roles.js';
import { serve } from './serve.js';

/** The admin CLI: `proofpane --help`. Commands share the server's configuration (environment). */
export function createCli(deps: AdminCliDeps = defaultAdminDeps): Command {
  const program = new Command('proofpane')
    .description('Proofpane server and administration')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('serve')
    .description('start the API (and console) on HOST:PORT, on PGlite unless DATABASE_URL is set')
    .option('--port <port>', 'port to listen on (env PORT, default 8787)')
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .addOption(
      new Option(
        '--role <role>',
        `what this process does: ${PROCESS_ROLES.join(' | ')} — api serves HTTP, SSE and WebSocket and runs no loops, projector runs the projections, worker the background loops, all everything; a comma list such as projector,worker combines them (env PROOFPANE_ROLE, default all; other than all needs DATABASE_URL)`,
      ).argParser((value) => {
        if (parseRole(value) === undefined) throw new InvalidArgumentError(`unknown role ${value}`);
        return value;
      }),
    )
    .action(async (options: { port?: string; host?: string; role?: string }) => {
      const config = loadConfig({
        ...process.env,
        ...(options.port ? { PORT: options.port } : {}),
        ...(options.host ? { HOST: options.host } : {}),
        ...(options.role ? { PROOFPANE_ROLE: options.role } : {}),
      });
      await serve(config);
    });

  addAdminCommands(program, deps);
  registerProjectionCommands(program);
  registerRebuildTablesCommand(program, deps);
  registerBackupCommands(program, deps);
  registerDreamCommand(program, deps);
  registerMigrateCommand(program, deps);

  return program;
}

/** Runs the CLI and turns failures into a message and an exit code (2: bad configuration). */
export async function runCli(argv: string[]): Promise<void> {
  try {
    await createCli().parseAsync(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`proofpane: ${message}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  }
}

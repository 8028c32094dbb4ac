import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { mcpCommand, pairCommand, runCommand } from './commands.js';
import { DaemonError } from './errors.js';
import { DAEMON_VERSION } from './version.js';

const log = (line: string) => process.stderr.write(`proofpane-daemon: ${line}\n`);

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function program(): Command {
  const cli = new Command('proofpane-daemon')
    .description(
      'Proofpane daemon: runs governed tools on this machine for the cloud or for a local MCP client',
    )
    .version(DAEMON_VERSION)
    .exitOverride()
    .showHelpAfterError();

  cli
    .command('pair')
    .description('pair this machine with an organisation using a short code from the console')
    .requiredOption('--server <url>', 'Proofpane server URL, e.g. https://proofpane.example.com')
    .requiredOption('--code <code>', 'single-use pairing code, e.g. K7QF-2M9X')
    .option('--name <name>', 'device name shown in the console (default: the host name)')
    .action((options: { server: string; code: string; name?: string }) => pairCommand(options, log));

  cli
    .command('run')
    .description('connect to the paired cloud and execute the tool calls it routes to this machine')
    .requiredOption('--root <dir>', 'directory the tools are confined to')
    .option('--concurrency <n>', 'tool calls executed at once', positiveInt, 64)
    .action((options: { root: string; concurrency: number }) => runCommand(options, log));

  cli
    .command('mcp')
    .description('serve the tools over stdio to an MCP client (Claude Desktop, Cursor, Continue, Codex)')
    .requiredOption('--root <dir>', 'directory the tools are confined to')
    .option('--governed', 'ask the paired cloud policy gate before each call and report activity')
    .addHelpText(
      'after',
      '\nEnvironment:\n  CP_VENDOR  claude_desktop | codex_desktop | cursor | continue (tags activity)',
    )
    .action((options: { root: string; governed?: boolean }) => mcpCommand(options, log));

  return cli;
}

function exitWith(code: number) {
  process.exitCode = code;
  // Give stderr a moment to drain, then leave even if a socket or child is still winding down.
  setTimeout(() => process.exit(code), 500).unref();
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return exitWith(err.exitCode === 0 ? 0 : 2);
    if (err instanceof DaemonError) {
      log(`error: ${err.message}`);
      return exitWith(err.exitCode);
    }
    log(`error: ${err instanceof Error ? err.message : String(err)}`);
    exitWith(1);
  }
}

void main(process.argv);

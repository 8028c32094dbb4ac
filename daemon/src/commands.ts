import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { DaemonError } from './errors.js';
import { vendorFromEnv } from './governance.js';
import { governedExecutor } from './mcp/governed-executor.js';
import { createMcpServer } from './mcp/server.js';
import { loadCredentials } from './pairing/credentials.js';
import { pair } from './pairing/pair.js';
import { runDaemon } from './runner/run.js';
import { openRoot, type Root } from './tools/confine.js';

export type Log = (line: string) => void;

async function rootOption(dir: string): Promise<Root> {
  try {
    return await openRoot(dir);
  } catch {
    throw new DaemonError('usage', `--root ${dir} is not an existing directory`);
  }
}

async function requireCredentials() {
  const credentials = await loadCredentials();
  if (!credentials)
    throw new DaemonError(
      'not_paired',
      'this machine is not paired; run `proofpane-daemon pair --server URL --code CODE` first',
    );
  return credentials;
}

export async function pairCommand(options: { server: string; code: string; name?: string }, log: Log) {
  const { credentials, stored } = await pair({ ...options, warn: log });
  const where = stored.where === 'keyring' ? 'the OS keyring' : stored.path;
  log(`paired as device ${credentials.deviceId} of ${credentials.org}; token stored in ${where}`);
}

export async function runCommand(options: { root: string; concurrency: number }, log: Log) {
  const root = await rootOption(options.root);
  const credentials = await requireCredentials();
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(`serving ${root.real} to ${credentials.server} as device ${credentials.deviceId}`);
  await runDaemon({ root, credentials, log, maxConcurrency: options.concurrency, signal: stop.signal });
  log('stopped');
}

export async function mcpCommand(options: { root: string; governed?: boolean }, log: Log) {
  const root = await rootOption(options.root);
  const { vendor, warning } = vendorFromEnv();
  if (warning) log(warning);
  const governed = options.governed
    ? governedExecutor({ credentials: await requireCredentials(), vendor, log })
    : undefined;
  const mcp = createMcpServer({ root, ...(governed ? { governed: governed.call } : {}) });
  let stopping = false;
  // The client is gone (stdin ended, the transport closed, or we were told to stop): nobody is left to
  // cancel what still runs, and a bash command in its own process group would outlive us. Stop it, then exit.
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      if (mcp.inFlight > 0) log(`${why}; stopping ${mcp.inFlight} running call(s)`);
      await mcp.abortAll();
      await mcp.server.close().catch(() => undefined);
      await governed?.drain();
      process.exit(0);
    })();
  };
  await mcp.server.connect(new StdioServerTransport());
  mcp.server.server.onclose = () => stop('the MCP connection closed');
  process.stdin.once('end', () => stop('the MCP client closed stdin'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  log(`MCP server on stdio for ${root.real}${governed ? ` (governed, vendor ${vendor})` : ''}`);
}

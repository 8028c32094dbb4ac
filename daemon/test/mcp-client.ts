import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { cliCommand, repoRoot } from './cli-process.js';

export type TextResult = { isError?: boolean; content: { type: string; text: string }[] };

/** Spawns `proofpane-daemon mcp` as a child process behind the official MCP client. */
export async function connectMcp(root: string, env: Record<string, string> = {}, extra: string[] = []) {
  const { command, args } = cliCommand(['mcp', '--root', root, ...extra]);
  const transport = new StdioClientTransport({
    command,
    args,
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'proofpane-test', version: '0.0.0' });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as TextResult;
  return { client, call, stderr: () => stderr, pid: () => transport.pid ?? 0 };
}

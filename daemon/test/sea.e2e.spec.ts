import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempRoot, tempRoot } from '../src/testing/temp-root.js';
import { repoRoot } from './cli-process.js';

const daemonDir = join(repoRoot, 'daemon');
const binary = join(daemonDir, 'dist', 'sea', 'proofpane-daemon');

describe('single executable (Node SEA)', () => {
  let t: TempRoot;
  beforeAll(async () => {
    execFileSync(process.execPath, [join(daemonDir, 'scripts', 'build-sea.mjs')], {
      cwd: daemonDir,
      stdio: 'ignore',
    });
    t = await tempRoot();
    await t.file('hello.txt', 'from the single executable\n');
  });
  afterAll(() => t.cleanup());

  it('prints its version without warnings', () => {
    const run = spawnSync(binary, ['--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('0.1.0\n');
    expect(run.stderr).toBe('');
  });

  it('serves the seven tools over stdio MCP', async () => {
    const client = new Client({ name: 'sea-test', version: '0' });
    await client.connect(
      new StdioClientTransport({ command: binary, args: ['mcp', '--root', t.dir], stderr: 'ignore' }),
    );
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
        'read',
        'write',
        'edit',
        'bash',
        'glob',
        'grep',
        'list',
      ]);
      expect(await client.callTool({ name: 'read', arguments: { path: 'hello.txt' } })).toEqual({
        content: [{ type: 'text', text: 'from the single executable\n' }],
        structuredContent: {
          path: 'hello.txt',
          content: 'from the single executable\n',
          size: 27,
          truncated: false,
        },
      });
    } finally {
      await client.close();
    }
  });
});

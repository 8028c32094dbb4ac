import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempRoot, tempRoot } from '../src/testing/temp-root.js';
import { spawnCli } from './cli-process.js';
import { connectMcp } from './mcp-client.js';

describe('proofpane-daemon mcp (stdio)', () => {
  let t: TempRoot;
  let mcp: Awaited<ReturnType<typeof connectMcp>>;

  beforeAll(async () => {
    t = await tempRoot();
    await t.file('docs/guide.md', '# Guide\nuse the needle\n');
    mcp = await connectMcp(t.dir, { CP_VENDOR: 'claude_desktop' });
  });
  afterAll(async () => {
    await mcp.client.close();
    await t.cleanup();
  });

  it('lists the seven tools with their argument names', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['read', 'write', 'edit', 'bash', 'glob', 'grep', 'list']);
    const props = Object.fromEntries(
      tools.map((tool) => [tool.name, Object.keys(tool.inputSchema.properties ?? {})]),
    );
    expect(props).toEqual({
      read: ['path'],
      write: ['path', 'content'],
      edit: ['path', 'old', 'new'],
      bash: ['command', 'timeoutMs'],
      glob: ['pattern'],
      grep: ['pattern', 'path'],
      list: ['path'],
    });
    expect(tools.find((tool) => tool.name === 'edit')!.inputSchema.required).toEqual(['path', 'old', 'new']);
  });

  it('advertises annotations and an output schema for each tool', async () => {
    const { tools } = await mcp.client.listTools();
    const hints = Object.fromEntries(
      tools.map((tool) => [
        tool.name,
        [
          tool.annotations?.readOnlyHint,
          tool.annotations?.destructiveHint,
          tool.annotations?.idempotentHint,
          tool.annotations?.openWorldHint,
        ],
      ]),
    );
    // [readOnly, destructive, idempotent, openWorld]
    expect(hints).toEqual({
      read: [true, false, true, false],
      write: [false, true, true, false],
      edit: [false, true, false, false],
      bash: [false, true, false, true],
      glob: [true, false, true, false],
      grep: [true, false, true, false],
      list: [true, false, true, false],
    });
    const outputs = Object.fromEntries(
      tools.map((tool) => [
        tool.name,
        {
          properties: Object.keys(tool.outputSchema?.properties ?? {}),
          required: tool.outputSchema?.required,
        },
      ]),
    );
    expect(outputs).toEqual({
      read: {
        properties: ['path', 'content', 'size', 'truncated'],
        required: ['path', 'content', 'size', 'truncated'],
      },
      write: { properties: ['path', 'bytes', 'created'], required: ['path', 'bytes', 'created'] },
      edit: { properties: ['path', 'replacements'], required: ['path', 'replacements'] },
      bash: {
        properties: ['exitCode', 'signal', 'stdout', 'stderr', 'truncated'],
        required: ['exitCode', 'signal', 'stdout', 'stderr', 'truncated'],
      },
      glob: { properties: ['matches', 'truncated'], required: ['matches', 'truncated'] },
      grep: { properties: ['matches', 'truncated'], required: ['matches', 'truncated'] },
      list: { properties: ['path', 'entries', 'truncated'], required: ['path', 'entries', 'truncated'] },
    });
  });

  it('returns structured results that the client validates against the output schemas', async () => {
    await mcp.client.listTools();
    const structured = async (name: string, args: Record<string, unknown>) => {
      // callTool validates structuredContent against the listed output schema and throws on a mismatch.
      const result = await mcp.client.callTool({ name, arguments: args });
      expect(result.isError).toBeFalsy();
      return result.structuredContent;
    };
    expect(await structured('write', { path: 'out/s.txt', content: 'one\ntwo\n' })).toEqual({
      path: 'out/s.txt',
      bytes: 8,
      created: true,
    });
    expect(await structured('read', { path: 'out/s.txt' })).toEqual({
      path: 'out/s.txt',
      content: 'one\ntwo\n',
      size: 8,
      truncated: false,
    });
    expect(await structured('edit', { path: 'out/s.txt', old: 'two', new: 'three' })).toEqual({
      path: 'out/s.txt',
      replacements: 1,
    });
    expect(await structured('grep', { pattern: 'thr', path: 'out' })).toEqual({
      matches: [{ path: 'out/s.txt', line: 2, text: 'three' }],
      truncated: false,
    });
    expect(await structured('glob', { pattern: 'out/*.txt' })).toEqual({
      matches: ['out/s.txt'],
      truncated: false,
    });
    expect(await structured('list', { path: 'out' })).toEqual({
      path: 'out',
      entries: [{ name: 's.txt', type: 'file', size: 10 }],
      truncated: false,
    });
    expect(await structured('bash', { command: 'exit 3' })).toEqual({
      exitCode: 3,
      signal: null,
      stdout: '',
      stderr: '',
      truncated: false,
    });
    // A failure carries no structured result, only the error text.
    const failed = await mcp.client.callTool({ name: 'read', arguments: { path: 'missing.txt' } });
    expect(failed).toMatchObject({ isError: true });
    expect(failed.structuredContent).toBeUndefined();
    // Other tests list the root.
    await rm(join(t.dir, 'out'), { recursive: true });
  });

  it('calls each tool', async () => {
    expect(await mcp.call('read', { path: 'docs/guide.md' })).toEqual({
      content: [{ type: 'text', text: '# Guide\nuse the needle\n' }],
      structuredContent: {
        path: 'docs/guide.md',
        content: '# Guide\nuse the needle\n',
        size: 23,
        truncated: false,
      },
    });
    expect((await mcp.call('write', { path: 'src/app.ts', content: 'let x = 1;\n' })).content[0]!.text).toBe(
      'Created src/app.ts (11 bytes)',
    );
    expect(
      (await mcp.call('edit', { path: 'src/app.ts', old: 'let x', new: 'const x' })).content[0]!.text,
    ).toBe('Edited src/app.ts (1 replacement)');
    expect(await readFile(join(t.dir, 'src/app.ts'), 'utf8')).toBe('const x = 1;\n');
    expect(
      (
        await mcp.call('bash', {
          command: 'cat src/app.ts; echo "vendor=$(printenv CP_VENDOR || echo unset)"',
        })
      ).content[0]!.text,
    ).toBe('const x = 1;\nvendor=unset\n\n[exit code 0]');
    expect((await mcp.call('glob', { pattern: '**/*.{ts,md}' })).content[0]!.text).toBe(
      'docs/guide.md\nsrc/app.ts',
    );
    expect((await mcp.call('grep', { pattern: 'need.e' })).content[0]!.text).toBe(
      'docs/guide.md:2: use the needle',
    );
    expect((await mcp.call('list', {})).content[0]!.text).toBe('[DIR] docs\n[DIR] src');
  });

  it('reports tool errors as MCP error results with the stable code', async () => {
    const escaped = await mcp.call('read', { path: '../outside/secret.txt' });
    expect(escaped.isError).toBe(true);
    expect(escaped.content[0]!.text).toBe(
      'path_outside_root: ../outside/secret.txt: path is outside the root directory',
    );
    const timeout = await mcp.call('bash', { command: 'sleep 20', timeoutMs: 200 });
    expect(timeout).toMatchObject({
      isError: true,
      content: [{ text: expect.stringMatching(/^timeout: /) }],
    });
  });

  it('rejects arguments that do not match the schema', async () => {
    const result = await mcp.call('write', { path: 'x.txt' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain('content');
    await expect(readFile(join(t.dir, 'x.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('logs to stderr only, so stdout stays a clean protocol stream', () => {
    expect(mcp.stderr()).toContain('MCP server on stdio for');
  });
});

describe('proofpane-daemon mcp usage errors', () => {
  it('fails with exit code 2 naming a missing root directory', async () => {
    const t = await tempRoot();
    await rm(t.dir, { recursive: true });
    const cli = spawnCli(['mcp', '--root', t.dir], {});
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toContain(`error: --root ${t.dir} is not an existing directory`);
    await t.cleanup();
  });
});

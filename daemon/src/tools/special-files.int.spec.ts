import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { executeTool } from './execute.js';

/**
 * Paths whose `stat` from node:fs/promises answers "regular file" although they are FIFOs: the race in
 * which a checked file is replaced by a FIFO before it is opened, made deterministic.
 */
const racing = vi.hoisted(() => new Map<string, string>());

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const stat = ((path: Parameters<typeof actual.stat>[0], ...rest: unknown[]) => {
    const standIn = racing.get(String(path));
    return standIn
      ? actual.stat(standIn)
      : (actual.stat as (...a: unknown[]) => Promise<Stats>)(path, ...rest);
  }) as typeof actual.stat;
  return { ...actual, stat };
});

/** Anything slower than this waited on the FIFO's other end, which only arrives after UNBLOCK_AFTER_S. */
const PROMPT_MS = 1_500;
const UNBLOCK_AFTER_S = 3;

describe('tools refuse FIFOs without waiting on them', () => {
  let t: TempRoot;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    t = await tempRoot();
    await t.file('stand-in.txt', 'a regular file\n');
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    racing.clear();
    await t.cleanup();
  });

  /**
   * A FIFO in the root, plus a process that opens it read-write after a delay: should a tool block on the
   * open, that releases it, so a regression fails on its timing instead of hanging the suite.
   */
  const fifo = (rel: string, options: { statSaysRegular?: boolean } = {}) => {
    const path = join(t.dir, rel);
    execFileSync('mkfifo', [path]);
    const child = spawn('sh', ['-c', `sleep ${UNBLOCK_AFTER_S}; exec 3<>"$1"`, 'sh', path], {
      stdio: 'ignore',
    });
    children.push(child);
    if (options.statSaysRegular) racing.set(path, join(t.dir, 'stand-in.txt'));
    return path;
  };

  const timed = async (tool: string, args: Record<string, unknown>) => {
    const started = performance.now();
    const outcome = await executeTool(tool, args, { root: t.root });
    return { outcome, ms: performance.now() - started };
  };

  it('read answers not_a_file for a FIFO at once, and the next call still works', async () => {
    fifo('pipe');
    const { outcome, ms } = await timed('read', { path: 'pipe' });
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'not_a_file', message: 'pipe: not a regular file' },
    });
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(await executeTool('read', { path: 'stand-in.txt' }, { root: t.root })).toMatchObject({
      ok: true,
      result: { content: 'a regular file\n' },
    });
  });

  it('edit refuses a FIFO that replaced a checked file, without opening it blocking', async () => {
    fifo('notes.txt', { statSaysRegular: true });
    const { outcome, ms } = await timed('edit', { path: 'notes.txt', old: 'a', new: 'b' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'not_a_file' } });
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it('write refuses a FIFO that replaced a checked file, without opening it blocking', async () => {
    fifo('out.txt', { statSaysRegular: true });
    const { outcome, ms } = await timed('write', { path: 'out.txt', content: 'x' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'not_a_file' } });
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it('grep skips a FIFO that replaced a checked file and still searches regular files', async () => {
    fifo('log.txt', { statSaysRegular: true });
    const { outcome, ms } = await timed('grep', { pattern: 'regular', path: 'log.txt' });
    expect(outcome).toEqual({ ok: true, result: { matches: [], truncated: false } });
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(await executeTool('grep', { pattern: 'regular' }, { root: t.root })).toEqual({
      ok: true,
      result: { matches: [{ path: 'stand-in.txt', line: 1, text: 'a regular file' }], truncated: false },
    });
  });

  it('edit and write still change regular files in place', async () => {
    await t.file('code.ts', 'let a = 1;\nlet b = 2;\n');
    expect(
      await executeTool('edit', { path: 'code.ts', old: 'let b = 2', new: 'const b = 22' }, { root: t.root }),
    ).toEqual({
      ok: true,
      result: { path: 'code.ts', replacements: 1 },
    });
    expect(await executeTool('read', { path: 'code.ts' }, { root: t.root })).toMatchObject({
      result: { content: 'let a = 1;\nconst b = 22;\n' },
    });
    // A shorter content must not leave the tail of the longer one behind.
    await executeTool('write', { path: 'code.ts', content: 'x' }, { root: t.root });
    expect(await executeTool('read', { path: 'code.ts' }, { root: t.root })).toMatchObject({
      result: { content: 'x', size: 1 },
    });
  });
});

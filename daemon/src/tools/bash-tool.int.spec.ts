import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, isAlive } from '../testing/processes.js';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { executeTool } from './execute.js';
import { LIMITS } from './limits.js';

describe('bash tool', () => {
  let t: TempRoot;
  beforeEach(async () => {
    t = await tempRoot();
  });
  afterEach(() => t.cleanup());
  const call = (args: unknown, signal?: AbortSignal) =>
    executeTool('bash', args, { root: t.root, ...(signal ? { signal } : {}) });

  it('runs in the root with a minimal environment and reports the exit code', async () => {
    process.env.PROOFPANE_TEST_SECRET = 'must-not-leak';
    try {
      const outcome = await call({
        command: 'pwd; echo "secret=$(printenv PROOFPANE_TEST_SECRET || echo none)"; echo oops >&2; exit 3',
      });
      expect(outcome).toEqual({
        ok: true,
        result: {
          exitCode: 3,
          signal: null,
          stdout: `${t.root.real}\nsecret=none\n`,
          stderr: 'oops\n',
          truncated: false,
        },
      });
    } finally {
      delete process.env.PROOFPANE_TEST_SECRET;
    }
  });

  it('caps a huge output', async () => {
    const outcome = await call({ command: 'head -c 5000000 /dev/zero | tr "\\0" x' });
    const result = (outcome as { result: { stdout: string; truncated: boolean; exitCode: number } }).result;
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(LIMITS.bashOutputBytes);
  });

  const pidIn = async (file: string) => Number((await readFile(join(t.dir, file), 'utf8')).trim());

  it('kills a runaway command and its whole process group on timeout', async () => {
    const outcome = await call({
      command: "sh -c 'echo $$ > loop.pid; while true; do sleep 0.05; done' >/dev/null 2>&1 & wait",
      timeoutMs: 300,
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'timeout', message: expect.stringContaining('300 ms') },
    });
    const pid = await pidIn('loop.pid');
    await eventually(async () => !(await isAlive(pid)), `process ${pid} to be killed`);
  });

  it('kills background jobs the command leaves behind', async () => {
    const outcome = await call({
      command:
        "sh -c 'echo $$ > bg.pid; exec sleep 30' >/dev/null 2>&1 & while [ ! -s bg.pid ]; do sleep 0.01; done; echo started",
    });
    expect(outcome).toMatchObject({ ok: true, result: { stdout: 'started\n', exitCode: 0 } });
    const pid = await pidIn('bg.pid');
    await eventually(async () => !(await isAlive(pid)), `background process ${pid} to be killed`);
  });

  it('is cancelled by its abort signal', async () => {
    const controller = new AbortController();
    const pending = call({ command: 'sleep 30' }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'aborted' } });
  });

  it('rejects a timeout above the maximum', async () => {
    expect(await call({ command: 'true', timeoutMs: LIMITS.bashMaxTimeoutMs + 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments' },
    });
  });
});

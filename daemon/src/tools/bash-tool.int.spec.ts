import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, processesMatching } from '../testing/processes.js';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { executeTool } from './execute.js';
import { LIMITS } from './limits.js';
import { type CommandSandbox, SANDBOX_LIMITS, SANDBOX_WORKSPACE } from './sandbox.js';

const sandboxes: CommandSandbox[] = [{ kind: 'host' }, { kind: 'process-tree' }, { kind: 'workspace' }];

describe.each(sandboxes)('bash tool ($kind)', (sandbox) => {
  let t: TempRoot;
  beforeEach(async () => {
    t = await tempRoot();
  });
  afterEach(() => t.cleanup());
  const call = (args: unknown, signal?: AbortSignal) =>
    executeTool('bash', args, { root: { ...t.root, sandbox }, ...(signal ? { signal } : {}) });

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
          stdout: `${sandbox.kind === 'workspace' ? SANDBOX_WORKSPACE : t.root.real}\nsecret=none\n`,
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

  const gone = (needle: string) =>
    eventually(async () => (await processesMatching(needle)).length === 0, `"${needle}" to be killed`);

  it('kills a runaway command and everything it started on timeout', async () => {
    const outcome = await call({
      command: "sh -c 'while true; do sleep 0.0513; done' >/dev/null 2>&1 & wait",
      timeoutMs: 300,
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'timeout', message: expect.stringContaining('300 ms') },
    });
    await gone('sleep 0.0513');
  });

  it.each([
    ['a background job', 'sleep 371 >/dev/null 2>&1 &'],
    ['a new session (setsid)', 'setsid sleep 372 >/dev/null 2>&1 </dev/null &'],
    ['a double fork', "sh -c 'sleep 373 >/dev/null 2>&1 </dev/null &' &"],
  ])('ends %s the command leaves behind before it answers', async (_, command) => {
    const needle = command.match(/sleep \d+/)![0];
    const outcome = await call({ command: `${command} echo started` });
    expect(outcome).toMatchObject({ ok: true, result: { stdout: 'started\n', exitCode: 0 } });
    await gone(needle);
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

describe('bash tool in the workspace sandbox', () => {
  let t: TempRoot;
  beforeEach(async () => {
    t = await tempRoot();
  });
  afterEach(() => t.cleanup());
  const run = async (command: string) => {
    const outcome = await executeTool(
      'bash',
      { command },
      { root: { ...t.root, sandbox: { kind: 'workspace' } } },
    );
    if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
    return outcome.result as { exitCode: number; stdout: string; stderr: string };
  };

  it('sees only its own folder: nothing beside it, nothing of the host above it', async () => {
    await t.file('mine.txt', 'mine\n');
    const result = await run(
      `cat mine.txt; cat ${t.outside}/secret.txt 2>&1; cat ../outside/secret.txt 2>&1; ls ${t.dir} 2>&1; ls /`,
    );
    expect(result.stdout).toContain('mine\n');
    expect(result.stdout).not.toContain('top secret');
    expect(result.stdout).toMatch(/No such file or directory/);
    expect(result.stdout.split('\n')).not.toContain('home');
  });

  it('writes land in the folder; the system is read-only', async () => {
    const result = await run('echo made > made.txt; touch /usr/evil 2>&1; echo "exit=$?"');
    expect(await readFile(join(t.dir, 'made.txt'), 'utf8')).toBe('made\n');
    expect(result.stdout).toMatch(/Read-only file system/);
  });

  it("has no network, no view of the host's processes, and none of the server's environment", async () => {
    process.env.PROOFPANE_TEST_SECRET = 'must-not-leak';
    try {
      const result = await run(
        'cat /proc/1/environ | tr "\\0" "\\n"; ls /proc | grep -c "^[0-9]"; cat /sys/class/net/*/address 2>/dev/null; ls /sys/class/net 2>&1',
      );
      expect(result.stdout).not.toContain('must-not-leak');
      expect(result.stdout).not.toMatch(/^(DATABASE_URL|PROOFPANE_)/m);
      const [, processCount] = result.stdout.match(/^(\d+)$/m) ?? [];
      expect(Number(processCount)).toBeLessThan(8);
      expect(result.stdout).not.toMatch(/\beth\d/);
    } finally {
      delete process.env.PROOFPANE_TEST_SECRET;
    }
  });

  it('has a private, size-capped /tmp and a memory bound', async () => {
    const result = await run(
      `head -c ${SANDBOX_LIMITS.tmpBytes + 1024 * 1024} /dev/zero > /tmp/big 2>/dev/null; echo "tmp=$?"; ls /tmp; awk 'BEGIN { s = sprintf("%2000000000s", ""); print "allocated" }' 2>&1; echo "mem=$?"`,
    );
    expect(result.stdout).toMatch(/tmp=[1-9]/);
    expect(result.stdout).not.toContain('allocated');
    expect(result.stdout).toMatch(/mem=[1-9]/);
  });
});

describe('bash tool without bubblewrap', () => {
  let t: TempRoot;
  beforeEach(async () => {
    t = await tempRoot();
    process.env.PROOFPANE_BWRAP = join(t.outside, 'no-such-bwrap');
  });
  afterEach(async () => {
    delete process.env.PROOFPANE_BWRAP;
    await t.cleanup();
  });
  const call = (sandbox: CommandSandbox) =>
    executeTool('bash', { command: 'echo ran > ran.txt; echo ran' }, { root: { ...t.root, sandbox } });

  it('refuses a workspace command instead of running it unconfined', async () => {
    expect(await call({ kind: 'workspace' })).toMatchObject({
      ok: false,
      error: { code: 'sandbox_unavailable', message: expect.stringContaining('bubblewrap') },
    });
    await expect(readFile(join(t.dir, 'ran.txt'))).rejects.toThrow(/ENOENT/);
  });

  it("runs a daemon's command and still ends its whole process tree", async () => {
    const outcome = await executeTool(
      'bash',
      { command: 'setsid sleep 374 >/dev/null 2>&1 </dev/null & echo started' },
      { root: { ...t.root, sandbox: { kind: 'host' } } },
    );
    expect(outcome).toMatchObject({ ok: true, result: { stdout: 'started\n' } });
    await eventually(async () => (await processesMatching('sleep 374')).length === 0, 'sleep 374 to end');
  });
});

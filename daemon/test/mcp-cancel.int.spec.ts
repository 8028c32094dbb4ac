import { readdir, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, isAlive } from '../src/testing/processes.js';
import { type TempRoot, tempRoot } from '../src/testing/temp-root.js';
import { connectMcp } from './mcp-client.js';

/** Pids of `sleep <seconds>` processes on this machine; the odd durations make them this spec's own. */
async function sleepers(seconds: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const [program, arg, ...rest] = cmdline.split('\0').filter((part) => part !== '');
    if (program?.split('/').pop() === 'sleep' && arg === seconds && rest.length === 0)
      pids.push(Number(entry));
  }
  return pids;
}

const killAll = async (seconds: string) => {
  for (const pid of await sleepers(seconds)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
};

describe('proofpane-daemon mcp: cancelled and abandoned calls', () => {
  let t: TempRoot;
  let mcp: Awaited<ReturnType<typeof connectMcp>> | undefined;

  beforeEach(async () => {
    t = await tempRoot();
  });
  afterEach(async () => {
    await mcp?.client.close();
    mcp = undefined;
    // A failed expectation must not leave its sleep behind for the next run to trip over.
    await killAll('377');
    await killAll('378');
    await t.cleanup();
  });

  it('kills a running bash command when the client cancels the request', async () => {
    mcp = await connectMcp(t.dir);
    const cancel = new AbortController();
    const call = mcp!.client.callTool({ name: 'bash', arguments: { command: 'sleep 377' } }, undefined, {
      signal: cancel.signal,
    });
    const settled = call.then(
      () => 'answered',
      () => 'rejected',
    );
    await eventually(async () => (await sleepers('377')).length > 0, 'sleep 377 to start', 10_000);
    // The SDK client sends notifications/cancelled for the request when its signal aborts.
    cancel.abort('the user pressed stop');
    expect(await settled).toBe('rejected');
    await eventually(async () => (await sleepers('377')).length === 0, 'sleep 377 to be killed', 1_500);
    // The server is still usable after the cancellation.
    const after = await mcp!.client.callTool({ name: 'bash', arguments: { command: 'echo still here' } });
    expect(after.structuredContent ?? after.content).toBeTruthy();
    expect(JSON.stringify(after)).toContain('still here');
  });

  // Without a usable bubblewrap no PID namespace ties the command to the daemon: only the daemon's own
  // shutdown can end it then.
  for (const [how, env] of [
    ['in a PID namespace where bubblewrap works', {}],
    ['without bubblewrap', { PROOFPANE_BWRAP: '/nonexistent/bwrap' }],
  ] as const) {
    it(`kills running commands and exits when the client goes away mid-call (${how})`, async () => {
      mcp = await connectMcp(t.dir, env);
      const call = mcp.client
        .callTool({ name: 'bash', arguments: { command: 'sleep 378' } })
        .catch(() => 'closed');
      await eventually(async () => (await sleepers('378')).length > 0, 'sleep 378 to start', 10_000);
      const daemonPid = mcp.pid();
      expect(daemonPid).toBeGreaterThan(0);
      // Closing ends the daemon's stdin; the SDK sends SIGTERM 2 s later if the daemon is still there.
      await mcp.client.close();
      mcp = undefined;
      expect(await call).toBe('closed');
      await eventually(async () => (await sleepers('378')).length === 0, 'sleep 378 to be killed', 5_000);
      await eventually(async () => !(await isAlive(daemonPid)), 'the daemon to exit', 5_000);
    });
  }
});

import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../src/protocol.js';
import { eventually } from '../src/testing/processes.js';
import { type TempRoot, tempRoot } from '../src/testing/temp-root.js';
import { type CliProcess, pairedHome, spawnCli } from './cli-process.js';
import { deviceCloud } from './device-cloud.js';

describe('proofpane-daemon run', () => {
  let t: TempRoot;
  let cloud: Awaited<ReturnType<typeof deviceCloud>>;
  let paired: Awaited<ReturnType<typeof pairedHome>>;
  let daemon: CliProcess | undefined;

  beforeEach(async () => {
    t = await tempRoot();
    await t.file('a.txt', 'alpha\n');
    await t.file('b.txt', 'beta\n');
    cloud = await deviceCloud('device-token-1');
    paired = await pairedHome(cloud.url, 'device-token-1');
  });
  afterEach(async () => {
    if (daemon && daemon.child.exitCode === null) {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    daemon = undefined;
    await cloud.close();
    await rm(paired.home, { recursive: true, force: true });
    await t.cleanup();
  });

  const start = (env: NodeJS.ProcessEnv = paired.env) => {
    daemon = spawnCli(['run', '--root', t.dir], env);
    return daemon;
  };

  it('says hello with its version and tools, then runs concurrent calls to completion', async () => {
    start();
    const socket = await cloud.nextConnection(0);
    expect(await socket.hello).toMatchObject({
      type: 'hello',
      protocol: 2,
      version: '0.1.0',
      deviceId: 'dev_1',
      tools: ['read', 'write', 'edit', 'bash', 'glob', 'grep', 'list', 'worktree'],
    });
    // The waiter only finishes once a later call has created go.txt: serial execution would time it out.
    const waiter = socket.call('bash', {
      command: 'while [ ! -f go.txt ]; do sleep 0.02; done; echo released',
      timeoutMs: 20_000,
    });
    const reads = ['a.txt', 'b.txt', 'a.txt'].map((path) => socket.call('read', { path }));
    const listing = socket.call('list', {});
    const escaped = socket.call('read', { path: '../outside/secret.txt' });
    const [a, b, a2] = await Promise.all(reads);
    expect(a).toMatchObject({ ok: true, result: { content: 'alpha\n' } });
    expect(b).toMatchObject({ ok: true, result: { content: 'beta\n' } });
    expect(a2!.id).not.toBe(a!.id);
    expect(await listing).toMatchObject({
      ok: true,
      result: { entries: [{ name: 'a.txt' }, { name: 'b.txt' }] },
    });
    expect(await escaped).toMatchObject({ ok: false, error: { code: 'path_outside_root' } });
    expect(await socket.call('write', { path: 'go.txt', content: '' })).toMatchObject({ ok: true });
    const released = await waiter;
    expect(released).toMatchObject({
      type: 'tool.result',
      ok: true,
      result: { stdout: 'released\n', exitCode: 0 },
    });
    expect(released.durationMs).toBeGreaterThan(0);
  });

  it('answers a batch of calls with batch frames once the cloud welcomes it with protocol 2', async () => {
    start();
    const socket = await cloud.nextConnection(0);
    await socket.hello;
    const frames: unknown[] = [];
    socket.ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    socket.ws.send(JSON.stringify({ type: 'welcome', deviceId: 'dev_1', org: 'org_1', protocol: 2 }));
    const calls = Array.from({ length: 40 }, (_, i) => ({
      type: 'tool.call',
      id: `b${i}`,
      tool: 'read',
      args: { path: i % 2 ? 'a.txt' : 'b.txt' },
    }));
    socket.ws.send(JSON.stringify(calls));
    const results = () => frames.flatMap((f) => (Array.isArray(f) ? f : [f]));
    await eventually(() => (results().length >= 40 ? true : undefined), 'all 40 results');
    expect(results().map((r) => (r as { id: string }).id)).toEqual(calls.map((c) => c.id));
    expect(results().every((r) => (r as { ok: boolean }).ok)).toBe(true);
    expect(frames.some(Array.isArray)).toBe(true);
    expect(frames.length).toBeLessThan(40);
  });

  it('answers malformed frames and unknown tools without dropping the connection', async () => {
    start();
    const socket = await cloud.nextConnection(0);
    await socket.hello;
    const error = new Promise((resolve) =>
      socket.ws.once('message', (data) => resolve(JSON.parse(data.toString()))),
    );
    socket.ws.send('{"type":"tool.call","id":"x"}');
    expect(await error).toEqual({
      type: 'error',
      code: 'bad_message',
      message: 'not a valid protocol message',
      id: 'x',
    });
    expect(await socket.call('rm', { path: 'a.txt' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_tool' },
    });
  });

  it('exits 5 with a clear message when the server closes with the auth failure code', async () => {
    const cli = start();
    const socket = await cloud.nextConnection(0);
    await socket.hello;
    socket.ws.close(CLOSE_CODES.unauthorized, 'device revoked');
    expect((await cli.exited).code).toBe(5);
    expect(cli.stderr()).toContain('error: the device token was rejected (revoked or unknown)');
    expect(cloud.sockets).toHaveLength(1);
  });

  it('exits 5 without retrying when the upgrade is refused with 401', async () => {
    await rm(paired.home, { recursive: true, force: true });
    paired = await pairedHome(cloud.url, 'stale-token');
    const cli = start();
    expect((await cli.exited).code).toBe(5);
    expect(cli.stderr()).toContain('pair this machine again');
    expect(cloud.sockets).toHaveLength(0);
  });

  it('reconnects after the server drops the socket and keeps serving', async () => {
    const cli = start();
    const first = await cloud.nextConnection(0);
    await first.hello;
    first.ws.terminate();
    const second = await cloud.nextConnection(1);
    expect(await second.hello).toMatchObject({ type: 'hello', deviceId: 'dev_1' });
    expect(await second.call('read', { path: 'b.txt' })).toMatchObject({
      ok: true,
      result: { content: 'beta\n' },
    });
    expect(cli.stderr()).toMatch(/connection closed \(1006\); reconnecting in \d+ ms/);
  });

  it('exits 6 when the machine is not paired', async () => {
    await rm(paired.home, { recursive: true, force: true });
    const cli = start();
    expect((await cli.exited).code).toBe(6);
    expect(cli.stderr()).toContain('this machine is not paired');
  });

  it('stops cleanly on SIGTERM', async () => {
    const cli = start();
    await (await cloud.nextConnection(0)).hello;
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    expect(cli.stderr()).toContain('stopped');
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RemoteToolRuntime } from '../server/src/tools/runtime.js';
import type { Bench, BenchResult } from './report.js';
import { percentile, startBenchServer } from './support.js';

const daemonCli = fileURLToPath(new URL('../daemon/src/cli.ts', import.meta.url));
const round = (n: number) => Math.round(n * 100) / 100;

function runDaemon(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', daemonCli, ...args], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  return { child, exited: new Promise<number | null>((resolve) => child.on('exit', resolve)) };
}

/**
 * `read` through a paired `proofpane-daemon run`: the routed round trip (RemoteToolRuntime in this process,
 * a real file read by the daemon child process every time), and the full governed HTTP call. Calls go in
 * bursts of `inFlight` issued at once; each call is timed from its issue to its settled outcome.
 */
const bench: Bench = async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-bench-devices-'));
  const rootDir = mkdtempSync(join(dir, 'root-'));
  writeFileSync(join(rootDir, 'file.txt'), 'x'.repeat(2_000));
  const server = await startBenchServer({ name: 'devices' });
  const { app, base, token } = server;
  const org = { id: server.org };
  const code = (
    await app.inject({
      method: 'POST',
      url: '/api/devices/pairing-codes',
      headers: { authorization: `Bearer ${token}` },
    })
  ).json().code as string;
  const daemonHome = mkdtempSync(join(dir, 'home-'));
  const env = { PROOFPANE_DAEMON_HOME: daemonHome, PROOFPANE_DAEMON_KEYRING: 'off' };
  await runDaemon(['pair', '--server', base, '--code', code], env).exited;
  const run = runDaemon(['run', '--root', rootDir], env);
  const deviceId = (await app.devices.service.list({ org: org.id }))[0]!.id;
  while (!app.devices.hub.isConnected(deviceId)) await new Promise((r) => setTimeout(r, 50));

  const runtime = new RemoteToolRuntime({ hub: app.devices.hub, org: org.id, deviceId, timeoutMs: 30_000 });
  const inFlight = 100;
  const warmup = 20;
  const rounds = ctx.quick ? 50 : 300;
  const routed: number[] = [];
  let routedMs = 0;
  for (let r = 0; r < warmup + rounds; r++) {
    const started = performance.now();
    const batch = await Promise.all(
      Array.from({ length: inFlight }, async () => {
        const t0 = performance.now();
        const outcome = await runtime.execute({ tool: 'read', args: { path: 'file.txt' } });
        if (!outcome.ok) throw new Error(outcome.error.message);
        return performance.now() - t0;
      }),
    );
    if (r < warmup) continue;
    routed.push(...batch);
    routedMs += performance.now() - started;
  }
  const governed: number[] = [];
  for (let r = 0; r < (ctx.quick ? 2 : 6); r++) {
    governed.push(
      ...(await Promise.all(
        Array.from({ length: inFlight }, async () => {
          const t0 = performance.now();
          const res = await fetch(`${base}/api/tools/call`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ tool: 'read', args: { path: 'file.txt' }, deviceId }),
          });
          await res.arrayBuffer();
          return performance.now() - t0;
        }),
      )),
    );
  }
  run.child.kill('SIGTERM');
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  const rows = (name: string, values: number[], target?: string): BenchResult[] => [
    {
      bench: 'devices',
      case: `${name}, ${inFlight} in flight`,
      metric: 'p50',
      value: round(percentile(values, 50)),
      unit: 'ms',
      ...(target ? { target, pass: percentile(values, 50) <= 2 } : {}),
    },
    {
      bench: 'devices',
      case: `${name}, ${inFlight} in flight`,
      metric: 'p99',
      value: round(percentile(values, 99)),
      unit: 'ms',
    },
  ];
  return [
    ...rows('read routed cloud -> daemon -> cloud', routed, '<= 2 ms'),
    {
      bench: 'devices',
      case: `read routed cloud -> daemon -> cloud, ${inFlight} in flight`,
      metric: 'throughput',
      value: Math.round(routed.length / (routedMs / 1000)),
      unit: 'round trips/s',
    },
    ...rows('read as governed HTTP call (policy + 2 audit events)', governed),
  ];
};

export default bench;

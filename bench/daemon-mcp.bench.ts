import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parseDaemonMessage, type ToolCallMessage } from '@proofpane/daemon';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Bench, BenchContext, BenchResult } from './report.js';

// read and list through our stdio MCP server beside @modelcontextprotocol/server-filesystem, and the
// round trip of `read` with 100 calls in flight over device protocol version 1 (one call per frame) from a
// bare WebSocket peer: the daemon's cost alone. The judged cloud -> daemon -> cloud figure, through the
// server's device hub and protocol version 2, is the devices bench.
const repo = fileURLToPath(new URL('../', import.meta.url));
const cli = join(repo, 'daemon', 'src', 'cli.ts');
const referenceServer = join(
  repo,
  'node_modules',
  '@modelcontextprotocol',
  'server-filesystem',
  'dist',
  'index.js',
);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number) => Math.round(n * 1000) / 1000;

async function fixture() {
  const base = await mkdtemp(join(tmpdir(), 'proofpane-bench-'));
  const root = join(base, 'root');
  await mkdir(join(root, 'dir'), { recursive: true });
  await writeFile(join(root, 'file.txt'), 'lorem ipsum dolor sit amet\n'.repeat(150));
  await Promise.all(
    Array.from({ length: 100 }, (_, i) => writeFile(join(root, 'dir', `f${i}.txt`), `${i}\n`)),
  );
  return { base, root };
}

async function timeCalls(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  n: number,
): Promise<number[]> {
  for (let i = 0; i < Math.min(50, n); i++) await client.callTool({ name, arguments: args });
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const result = await client.callTool({ name, arguments: args });
    samples.push(performance.now() - started);
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  }
  return samples.sort((a, b) => a - b);
}

async function mcpFigures(root: string, n: number) {
  const connect = async (command: string, args: string[]) => {
    const client = new Client({ name: 'bench', version: '0' });
    await client.connect(new StdioClientTransport({ command, args, cwd: repo, stderr: 'ignore' }));
    return client;
  };
  const ours = await connect(process.execPath, ['--import', 'tsx', cli, 'mcp', '--root', root]);
  const theirs = await connect(process.execPath, [referenceServer, root]);
  try {
    return {
      read: [
        await timeCalls(ours, 'read', { path: 'file.txt' }, n),
        await timeCalls(theirs, 'read_text_file', { path: join(root, 'file.txt') }, n),
      ],
      list: [
        await timeCalls(ours, 'list', { path: 'dir' }, n),
        await timeCalls(theirs, 'list_directory', { path: join(root, 'dir') }, n),
      ],
    };
  } finally {
    await ours.close();
    await theirs.close();
  }
}

/** Keeps the daemon busy with bursts of `inFlight` concurrent reads and times every call's round trip. */
async function wsFigures(base: string, root: string, inFlight: number, bursts: number): Promise<number[]> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/api/devices/ws' });
  await once(wss, 'listening');
  const server = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const home = join(base, 'home');
  await mkdir(home);
  await writeFile(
    join(home, 'device.json'),
    JSON.stringify({ server, deviceId: 'bench', org: 'bench', token: 't' }),
    { mode: 0o600 },
  );
  const daemon = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'run', '--root', root, '--concurrency', String(inFlight)],
    {
      cwd: repo,
      env: { ...process.env, PROOFPANE_DAEMON_HOME: home, PROOFPANE_DAEMON_KEYRING: 'off' },
      stdio: 'ignore',
    },
  );
  try {
    const [ws] = (await once(wss, 'connection')) as [WebSocket];
    const started = new Map<string, number>();
    const samples: number[] = [];
    let settle: () => void = () => {};
    ws.on('message', (data) => {
      const message = parseDaemonMessage(data.toString());
      if (message?.type !== 'tool.result') return;
      if (!message.ok) throw new Error(`read failed: ${message.error.message}`);
      samples.push(performance.now() - started.get(message.id)!);
      started.delete(message.id);
      if (started.size === 0) settle();
    });
    let seq = 0;
    const burst = () =>
      new Promise<void>((resolve) => {
        settle = resolve;
        for (let i = 0; i < inFlight; i++) {
          const call: ToolCallMessage = {
            type: 'tool.call',
            id: `r${++seq}`,
            tool: 'read',
            args: { path: 'file.txt' },
          };
          started.set(call.id, performance.now());
          ws.send(JSON.stringify(call));
        }
      });
    for (let i = 0; i < 5; i++) await burst();
    samples.length = 0;
    for (let i = 0; i < bursts; i++) await burst();
    return samples.sort((a, b) => a - b);
  } finally {
    daemon.kill('SIGTERM');
    await once(daemon, 'exit');
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
}

const bench: Bench = async (ctx: BenchContext) => {
  const { base, root } = await fixture();
  const n = ctx.quick ? 200 : 2_000;
  const results: BenchResult[] = [];
  try {
    const mcp = await mcpFigures(root, n);
    for (const tool of ['read', 'list'] as const) {
      const [ours, reference] = mcp[tool];
      for (const p of [50, 99]) {
        results.push({
          bench: 'daemon-mcp',
          case: `stdio ${tool} (${n} calls, one in flight; baseline server-filesystem)`,
          metric: `p${p}`,
          value: round(percentile(ours!, p)),
          unit: 'ms',
          baseline: round(percentile(reference!, p)),
        });
      }
    }
    const inFlight = 100;
    const bursts = ctx.quick ? 20 : 200;
    const ws = await wsFigures(base, root, inFlight, bursts);
    ctx.log(`ws: ${ws.length} reads in bursts of ${inFlight}`);
    for (const p of [50, 99]) {
      results.push({
        bench: 'daemon-mcp',
        case: `ws read round trip, ${inFlight} in flight (protocol v1, bare WebSocket peer)`,
        metric: `p${p}`,
        value: round(percentile(ws, p)),
        unit: 'ms',
      });
    }
    return results;
  } finally {
    await rm(base, { recursive: true, force: true });
  }
};

export default bench;

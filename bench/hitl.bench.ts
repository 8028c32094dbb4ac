import { request as httpRequest } from 'node:http';
import { PrecedentIndex } from '@proofpane/commands';
import type { Bench, BenchResult } from './report.js';
import { percentile, startBenchServer } from './support.js';

const round = (n: number) => Math.round(n * 1000) / 1000;

function precedentLookup(quick: boolean): BenchResult[] {
  const index = new PrecedentIndex();
  const words = [
    'release',
    'notes',
    'docs',
    'changelog',
    'report',
    'quarter',
    'numbers',
    'draft',
    'readme',
    'api',
    'guide',
    'update',
    'fix',
    'typo',
    'section',
    'table',
  ];
  const sentence = (i: number) =>
    Array.from({ length: 8 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ') + ` item${i % 50}`;
  for (let i = 0; i < 10_000; i++) {
    index.add({
      requestId: `h${i}`,
      target: 'tool/write',
      argClass: 'content,path:docs:md',
      decision: i % 5 === 0 ? 'deny' : 'approve',
      remember: i % 3 === 0,
      decidedBy: 'usr',
      text: sentence(i),
    });
  }
  const samples: number[] = [];
  const runs = quick ? 500 : 5_000;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    index.match({
      target: 'tool/write',
      argClass: 'content,path:docs:md',
      text: sentence(i * 13),
      risk: 'medium',
      threshold: 2.5,
    });
    samples.push(performance.now() - t0);
  }
  const p99 = percentile(samples, 99);
  return [
    {
      bench: 'hitl',
      case: 'precedent lookup, 10,000 resolutions for one tool',
      metric: 'p50',
      value: round(percentile(samples, 50)),
      unit: 'ms',
    },
    {
      bench: 'hitl',
      case: 'precedent lookup, 10,000 resolutions for one tool',
      metric: 'p99',
      value: round(p99),
      unit: 'ms',
      target: '<= 5 ms',
      pass: p99 <= 5,
    },
  ];
}

async function notificationLatency(quick: boolean): Promise<BenchResult[]> {
  const server = await startBenchServer({ name: 'hitl' });
  const { app, token } = server;
  const org = { id: server.org };
  const port = new URL(server.base).port;
  const actor = { kind: 'user' as const, id: 'usr_bench' };

  const arrivals = new Map<string, number>();
  let buffer = '';
  const sse = httpRequest(
    `http://127.0.0.1:${port}/api/hitl/stream`,
    { headers: { authorization: `Bearer ${token}` } },
    (res) => {
      res.on('data', (chunk: Buffer) => {
        const at = performance.now();
        buffer += chunk.toString();
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.+)$/m.exec(block)?.[1];
          const event = /^event: (.+)$/m.exec(block)?.[1];
          if (data && event === 'hitl.requested') arrivals.set((JSON.parse(data) as { id: string }).id, at);
        }
      });
    },
  );
  sse.end();
  await new Promise((r) => setTimeout(r, 200));

  const open = quick ? 30 : 100;
  const requestLatency: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < open; i++) {
    const started = performance.now();
    const created = await app.hitl.request({
      org: org.id,
      actor,
      kind: 'tool_call',
      target: 'tool/write',
      args: { path: `f${i}.md` },
      argsSha256: String(i).padStart(64, '0'),
      summary: `write file number ${i} with unique words ${i * 17}`,
      reason: 'bench',
      rulesMatched: [],
      dlp: {},
      timeoutSeconds: 600,
      autoApproveThreshold: 1e9,
    });
    ids.push(created.requestId);
    while (!arrivals.has(created.requestId)) await new Promise((r) => setImmediate(r));
    requestLatency.push(arrivals.get(created.requestId)! - started);
  }
  const resumeLatency: number[] = [];
  for (const id of ids) {
    const waiting = app.hitl.waitFor({ org: org.id, requestId: id });
    const started = performance.now();
    await Promise.all([
      app.hitl.resolve({ org: org.id, requestId: id, decision: 'approve', remember: false, actor }),
      waiting,
    ]);
    resumeLatency.push(performance.now() - started);
  }
  sse.destroy();
  await server.close();
  const row = (name: string, values: number[]): BenchResult[] => [
    {
      bench: 'hitl',
      case: `${name}, ${open} open requests (pglite)`,
      metric: 'p50',
      value: round(percentile(values, 50)),
      unit: 'ms',
    },
    {
      bench: 'hitl',
      case: `${name}, ${open} open requests (pglite)`,
      metric: 'p99',
      value: round(percentile(values, 99)),
      unit: 'ms',
      target: '<= 200 ms',
      pass: percentile(values, 99) <= 200,
    },
  ];
  return [
    ...row('cp.hitl.requested -> approver SSE', requestLatency),
    ...row('resolution -> waiting call resumes', resumeLatency),
  ];
}

const bench: Bench = async (ctx) => [
  ...precedentLookup(ctx.quick),
  ...(await notificationLatency(ctx.quick)),
];

export default bench;

import { spawnSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SigningKeyring } from '../core/src/crypto/signing-keys.js';
import { buildEvidencePack } from '../core/src/evidence-pack/index.js';
import { nodeAdapters } from '../evidence-verifier/src/cli/node-adapters.js';
import { type EventEnvelope, verifyPack } from '../evidence-verifier/src/index.js';
import { syntheticChain } from '../evidence-verifier/test/synthetic-chain.js';
import type { Bench, BenchResult } from './report.js';

// Verification runs in a child process (this file, re-run with CHILD set) so its peak memory is
// measured alone, apart from the memory spent building the pack. The child runs the verifier as
// the CLI ships it, compiled to JavaScript (`npm run build`), so its proofs worker thread starts
// as it does for a user rather than through a TypeScript loader.
const CHILD = 'PROOFPANE_EVIDENCE_BENCH_PACK';
const root = fileURLToPath(new URL('..', import.meta.url));
const built = (path: string) => pathToFileURL(join(root, 'evidence-verifier/dist', path)).href;
const ORG = 'org_bench';
const AT = '2026-03-02T00:00:00.000Z';

interface ChildResult {
  ms: number;
  cpuMs: number;
  status: string;
  events: number;
  maxRssMb: number;
  peakHeapMb: number;
}

async function child(file: string): Promise<void> {
  const { verifyPack } = (await import(
    built('index.js')
  )) as typeof import('../evidence-verifier/src/index.js');
  const { nodeAdapters } = (await import(
    built('cli/node-adapters.js')
  )) as typeof import('../evidence-verifier/src/cli/node-adapters.js');
  const { FileSource } = (await import(
    built('cli/file-source.js')
  )) as typeof import('../evidence-verifier/src/cli/file-source.js');
  // Read as the CLI reads it: by offset from the file, which the proofs thread reads too.
  const zip = await FileSource.open(file);
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const report = await verifyPack(zip, nodeAdapters);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  const result: ChildResult = {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    status: report.status,
    events: report.eventCount,
    maxRssMb: peakRssMb(),
    peakHeapMb: Math.max(peakHeap, process.memoryUsage().heapUsed) / 2 ** 20,
  };
  process.stdout.write(JSON.stringify(result));
}

/**
 * This process's own peak RSS. ru_maxrss would carry over the RSS of the (large) parent it was
 * forked from, so Linux's per-address-space high-water mark is read instead where there is one.
 */
function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {}
  return process.resourceUsage().maxRSS / 1024;
}

function verifyInChild(file: string): ChildResult {
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, [CHILD]: file },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`verifier child failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ChildResult;
}

/** Raw SHA-256 of every line of events.jsonl, one call per line: the floor for per-event hashing. */
function rawSha256EventsPerSecond(eventsJsonl: Uint8Array): number {
  let lines = 0;
  const start = performance.now();
  for (let at = 0; at < eventsJsonl.length; ) {
    const nl = eventsJsonl.indexOf(10, at);
    hash('sha256', eventsJsonl.subarray(at, nl), 'buffer');
    lines++;
    at = nl + 1;
  }
  return lines / ((performance.now() - start) / 1000);
}

function buildVerifier(): void {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(root, 'evidence-verifier/tsconfig.build.json'),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`building the verifier failed: ${run.stdout}${run.stderr}`);
}

const bench: Bench = async (ctx) => {
  const size = ctx.quick ? 50_000 : 1_000_000;
  ctx.log('building the verifier (npm run build -w evidence-verifier)');
  buildVerifier();
  const filteredCount = 1_000;
  const signer = SigningKeyring.ephemeral().signer;
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-evidence-bench-'));
  try {
    ctx.log(`generating a chain of ${size.toLocaleString('en-US')} events`);
    const treeHashes: string[] = [];
    const every = Math.floor(size / filteredCount);
    const picked: EventEnvelope[] = [];
    for (const event of syntheticChain({ org: ORG, count: size })) {
      treeHashes.push(event.hash);
      if (event.seq % every === 0 && picked.length < filteredCount) picked.push(event);
    }
    const build = (events: Iterable<EventEnvelope>, level?: number) =>
      buildEvidencePack({
        org: ORG,
        createdAt: AT,
        selection: {},
        events,
        treeHashes,
        checkpointTime: AT,
        signer,
        ...(level === undefined ? {} : { compressionLevel: level }),
      });

    ctx.log('building the full pack');
    const full = build(syntheticChain({ org: ORG, count: size }), 1);
    const fullFile = join(dir, 'full.zip');
    writeFileSync(fullFile, full.zip);
    ctx.log(`full pack: ${(full.zip.length / 2 ** 20).toFixed(0)} MiB; verifying`);
    const fullRun = verifyInChild(fullFile);
    // No key is pinned here, so a pack that passes every check is 'unproven' rather than 'valid'.
    if (fullRun.status !== 'unproven' || fullRun.events !== size)
      throw new Error(`full pack did not verify: ${fullRun.status}`);
    const eventsPerSecond = size / (fullRun.ms / 1000);
    const { unzipSync } = await import('fflate');
    const baseline = rawSha256EventsPerSecond(
      unzipSync(full.zip, { filter: (f) => f.name === 'events.jsonl' })['events.jsonl']!,
    );

    ctx.log('building and verifying the filtered pack');
    const filtered = build(picked);
    const filteredFile = join(dir, 'filtered.zip');
    writeFileSync(filteredFile, filtered.zip);
    const filteredRun = verifyInChild(filteredFile);
    if (filteredRun.status !== 'unproven')
      throw new Error(`filtered pack did not verify: ${filteredRun.status}`);
    const inProcess = performance.now();
    await verifyPack(filtered.zip, nodeAdapters);
    const inProcessMs = performance.now() - inProcess;

    const label = `${size.toLocaleString('en-US')}-event full pack`;
    const results: BenchResult[] = [
      {
        bench: 'evidence-verify',
        case: label,
        metric: 'events verified per second (baseline: raw SHA-256 per line)',
        value: Math.round(eventsPerSecond),
        unit: 'events/s',
        baseline: Math.round(baseline),
        target: '>= 100,000 events/s',
        pass: eventsPerSecond >= 100_000,
      },
      {
        bench: 'evidence-verify',
        case: label,
        metric: 'verification time',
        value: fullRun.ms / 1000,
        unit: 's',
      },
      {
        bench: 'evidence-verify',
        case: label,
        metric: 'events per CPU-second (all threads; shows the cost on a busy machine)',
        value: Math.round(size / (fullRun.cpuMs / 1000)),
        unit: 'events/s',
      },
      {
        bench: 'evidence-verify',
        case: label,
        metric: 'peak RSS of the verifier',
        value: fullRun.maxRssMb,
        unit: 'MiB',
      },
      {
        bench: 'evidence-verify',
        case: label,
        metric: 'peak JS heap of the verifier',
        value: fullRun.peakHeapMb,
        unit: 'MiB',
      },
      {
        bench: 'evidence-verify',
        case: label,
        metric: 'pack size',
        value: full.zip.length / 2 ** 20,
        unit: 'MiB',
      },
      {
        bench: 'evidence-verify',
        case: `${filteredCount.toLocaleString('en-US')}-event filtered pack of a ${size.toLocaleString('en-US')}-event chain`,
        metric: 'verification time (fresh process; in-process as baseline)',
        value: filteredRun.ms,
        unit: 'ms',
        baseline: inProcessMs,
        target: '< 1,000 ms',
        pass: filteredRun.ms < 1000,
      },
    ];
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;

const childFile = process.env[CHILD];
if (childFile) await child(childFile);

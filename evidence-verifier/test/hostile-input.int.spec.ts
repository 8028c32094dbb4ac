import { spawnSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shiftZip, unpack } from './tamper.js';
import { bombPack } from './zip-bomb.js';

// The CLI run as a user runs it, on inputs a hostile sender can hand an auditor. Each child has a
// timeout, so a verifier that blocks shows up as a failed exit code rather than a hung suite.

const root = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const keys = JSON.parse(readFileSync(fixture('keys.json'), 'utf8')) as { keys: { publicKey: string }[] };
const pinnedKey = keys.keys[0]!.publicKey;
const GiB = 2 ** 30;

// Peak RSS of the child's own address space (threads included). ru_maxrss is not used: after
// exec it carries over the high-water mark of the test process the child was forked from.
const PEAK_RSS = `data:text/javascript,${encodeURIComponent(`
import { readFileSync } from 'node:fs';
process.on('exit', () => {
  const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  process.stderr.write('\\npeak-rss-kb=' + (hwm ? hwm[1] : '') + '\\n');
});
`)}`;

function cli(...args: string[]) {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', PEAK_RSS, 'evidence-verifier/src/cli.ts', ...args],
    { cwd: root, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' },
  );
  const rss = /peak-rss-kb=(\d+)/.exec(run.stderr);
  return {
    code: run.status,
    out: run.stdout,
    err: run.stderr,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
  };
}

/** A file of `size` bytes that takes no disk: a hole, with `tail` (if any) written at its end. */
function sparseFile(path: string, size: number, tail?: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    if (tail) writeSync(fd, tail, 0, tail.length, size);
  } finally {
    closeSync(fd);
  }
}

describe('proofpane-verify on hostile input', () => {
  let dir: string;
  let baselineMb: number;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'proofpane-hostile-'));
    // What the CLI and its TypeScript loader need to verify a small pack: the yardstick for the
    // memory of the runs below, so the bounds hold on a slower or differently built Node.
    const small = cli(fixture('valid-full.zip'), '--key', pinnedKey);
    expect(small.code).toBe(0);
    baselineMb = small.peakRssMb;
    expect(baselineMb).toBeGreaterThan(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a FIFO at once with exit 2, instead of blocking until something writes to it', () => {
    const fifo = join(dir, 'pack.zip');
    const made = spawnSync('mkfifo', [fifo]);
    expect(made.status).toBe(0);
    const run = cli(fifo);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/UNUSABLE: .*pack\.zip is a FIFO \(named pipe\), not a regular file/);
  });

  it('refuses a directory as not a regular file, with exit 2', () => {
    const run = cli(dir);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/is a directory, not a regular file/);
  });

  it('refuses 2 GiB of zeros as not a ZIP without reading them: memory stays near a small pack’s', () => {
    // Just under 2 GiB: the size that was once read whole, into memory, before being looked at.
    const zeros = join(dir, 'zeros.zip');
    sparseFile(zeros, 2 * GiB - 1);
    const run = cli(zeros, '--key', pinnedKey);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/UNUSABLE: not a ZIP archive/);
    expect(run.peakRssMb).toBeLessThan(baselineMb + 64);
  });

  it('verifies a pack lying 2 GiB into a file by reading its directory and entries by offset', () => {
    const pack = join(dir, 'behind-zeros.zip');
    sparseFile(pack, 2 * GiB, shiftZip(new Uint8Array(readFileSync(fixture('valid-full.zip'))), 2 * GiB));
    expect(statSync(pack).size).toBeGreaterThan(2 * GiB);
    const run = cli(pack, '--key', pinnedKey, '--json');
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ status: 'valid', signer: 'pinned', eventCount: 24 });
    expect(run.peakRssMb).toBeLessThan(baselineMb + 64);
  });

  it('refuses a 1 MiB pack whose events inflate to 1 GiB for its inflation ratio, before inflating', () => {
    const bomb = join(dir, 'bomb.zip');
    writeFileSync(bomb, bombPack(unpack(new Uint8Array(readFileSync(fixture('valid-full.zip')))), 1024));
    expect(statSync(bomb).size).toBeLessThan(2 * 2 ** 20);
    const run = cli(bomb, '--key', pinnedKey);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(
      /UNUSABLE: entry "events\.jsonl" would inflate \d+ bytes to 1073741824, more than 100 times/,
    );
    expect(run.peakRssMb).toBeLessThan(baselineMb + 64);
  });
});

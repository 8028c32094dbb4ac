import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '$lib/testing/memory-storage';
import { ChainStatus } from './chain-status.svelte';
import type { ChainMessage } from './chain-worker';

class FakeWorker {
  static made: FakeWorker[] = [];
  readonly posted: unknown[] = [];
  onmessage: ((event: MessageEvent<ChainMessage>) => void) | null = null;
  terminated = false;

  constructor(
    readonly url: URL,
    readonly options: WorkerOptions,
  ) {
    FakeWorker.made.push(this);
  }

  postMessage(message: unknown): void {
    this.posted.push(message);
  }

  terminate(): void {
    this.terminated = true;
  }

  emit(message: ChainMessage): void {
    this.onmessage?.({ data: message } as MessageEvent<ChainMessage>);
  }
}

const hash = (n: number) => n.toString(16).padStart(64, '0');
let storage: MemoryStorage;

beforeEach(() => {
  FakeWorker.made = [];
  storage = new MemoryStorage();
  vi.stubGlobal('localStorage', storage);
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => vi.unstubAllGlobals());

describe('the chain badge state', () => {
  it('starts the verifying worker from seq 1 the first time', () => {
    const chain = new ChainStatus();
    chain.start('pps_abc', 'org_1');
    const [worker] = FakeWorker.made;
    expect(worker?.url.pathname).toMatch(/chain-worker\.ts$/);
    expect(worker?.options).toEqual({ type: 'module' });
    expect(worker?.posted).toEqual([{ token: 'pps_abc', from: null }]);
    expect([chain.state, chain.verifiedTo, chain.detail]).toEqual(['verifying', 0, null]);
  });

  it('remembers how far each org was verified, and continues from there on the next visit', () => {
    const chain = new ChainStatus();
    chain.start('pps_abc', 'org_1');
    const worker = FakeWorker.made[0]!;
    worker.emit({ kind: 'progress', verifiedTo: 1_000, hash: hash(1_000) });
    expect([chain.state, chain.verifiedTo]).toEqual(['verifying', 1_000]);
    worker.emit({ kind: 'verified', verifiedTo: 1_234, hash: hash(1_234) });
    expect([chain.state, chain.verifiedTo]).toEqual(['verified', 1_234]);
    chain.stop();
    expect(worker.terminated).toBe(true);

    const later = new ChainStatus();
    later.start('pps_def', 'org_1');
    expect(FakeWorker.made[1]?.posted).toEqual([
      { token: 'pps_def', from: { seq: 1_234, hash: hash(1_234) } },
    ]);
    expect(later.verifiedTo).toBe(1_234);
    later.start('pps_def', 'org_2');
    expect(FakeWorker.made).toHaveLength(2);
    expect(FakeWorker.made[1]?.posted[1]).toEqual({ token: 'pps_def', from: null });
    expect(later.verifiedTo).toBe(0);
  });

  it('does not remember an empty chain as verified', () => {
    const chain = new ChainStatus();
    chain.start('pps_abc', 'org_1');
    FakeWorker.made[0]?.emit({ kind: 'verified', verifiedTo: 0, hash: '0'.repeat(64) });
    expect(chain.state).toBe('verified');
    expect(storage.getItem('proofpane.chain')).toBeNull();
  });

  it('names the seq where the chain broke, and keeps the checkpoint before it', () => {
    const chain = new ChainStatus();
    chain.start('pps_abc', 'org_1');
    const worker = FakeWorker.made[0]!;
    worker.emit({ kind: 'progress', verifiedTo: 1_000, hash: hash(1_000) });
    worker.emit({
      kind: 'broken',
      seq: 1_001,
      reason: 'prev does not match the previous hash',
      verifiedTo: 1_000,
    });
    expect([chain.state, chain.verifiedTo, chain.detail]).toEqual([
      'broken',
      1_000,
      'seq 1001: prev does not match the previous hash',
    ]);
    expect(JSON.parse(storage.getItem('proofpane.chain') ?? '{}')).toEqual({
      org_1: { seq: 1_000, hash: hash(1_000) },
    });
  });

  it('shows an error the worker met', () => {
    const chain = new ChainStatus();
    chain.start('pps_abc', 'org_1');
    FakeWorker.made[0]?.emit({ kind: 'error', message: 'the audit API answered 500' });
    expect([chain.state, chain.detail]).toEqual(['error', 'the audit API answered 500']);
  });

  it('starts over from seq 1 when what it remembered cannot be read', () => {
    storage.setItem('proofpane.chain', '{broken');
    const chain = new ChainStatus();
    chain.start('pps_abc', 'org_1');
    expect(FakeWorker.made[0]?.posted).toEqual([{ token: 'pps_abc', from: null }]);
    FakeWorker.made[0]?.emit({ kind: 'verified', verifiedTo: 5, hash: hash(5) });
    expect(storage.getItem('proofpane.chain')).toBeNull();
  });
});

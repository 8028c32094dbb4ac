import type { ChainCheckpoint, ChainMessage } from './chain-worker';

const KEY = 'proofpane.chain';

function saved(org: string): ChainCheckpoint | null {
  try {
    const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, ChainCheckpoint>;
    return all[org] ?? null;
  } catch {
    return null;
  }
}

function save(org: string, checkpoint: ChainCheckpoint): void {
  try {
    const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, ChainCheckpoint>;
    localStorage.setItem(KEY, JSON.stringify({ ...all, [org]: checkpoint }));
  } catch {
    localStorage.removeItem(KEY);
  }
}

/**
 * The chain-status badge's state, fed by the verifying worker. How far this browser has verified
 * each org's chain is remembered, so a later visit checks only what was appended since.
 */
export class ChainStatus {
  state = $state<'verifying' | 'verified' | 'broken' | 'error'>('verifying');
  verifiedTo = $state(0);
  detail = $state<string | null>(null);
  private worker: Worker | null = null;
  private org = '';

  start(token: string, org: string): void {
    this.org = org;
    if (!this.worker) {
      this.worker = new Worker(new URL('./chain-worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<ChainMessage>) => this.apply(event.data);
    }
    const from = saved(org);
    this.state = 'verifying';
    this.verifiedTo = from?.seq ?? 0;
    this.detail = null;
    this.worker.postMessage({ token, from });
  }

  private apply(message: ChainMessage): void {
    switch (message.kind) {
      case 'progress':
        this.state = 'verifying';
        this.verifiedTo = message.verifiedTo;
        save(this.org, { seq: message.verifiedTo, hash: message.hash });
        return;
      case 'verified':
        this.state = 'verified';
        this.verifiedTo = message.verifiedTo;
        if (message.verifiedTo > 0) save(this.org, { seq: message.verifiedTo, hash: message.hash });
        return;
      case 'broken':
        this.state = 'broken';
        this.verifiedTo = message.verifiedTo;
        this.detail = `seq ${message.seq}: ${message.reason}`;
        return;
      case 'error':
        this.state = 'error';
        this.detail = message.message;
        return;
      default: {
        const never: never = message;
        throw new Error(`unknown chain message ${JSON.stringify(never)}`);
      }
    }
  }

  stop(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}

import type { ChainMessage } from './chain-worker';

/** The chain-status badge's state, fed by the verifying worker. */
export class ChainStatus {
  state = $state<'verifying' | 'verified' | 'broken' | 'error'>('verifying');
  verifiedTo = $state(0);
  detail = $state<string | null>(null);
  private worker: Worker | null = null;

  start(token: string): void {
    if (!this.worker) {
      this.worker = new Worker(new URL('./chain-worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<ChainMessage>) => this.apply(event.data);
    }
    this.state = 'verifying';
    this.verifiedTo = 0;
    this.detail = null;
    this.worker.postMessage({ token });
  }

  private apply(message: ChainMessage): void {
    switch (message.kind) {
      case 'progress':
        this.state = 'verifying';
        this.verifiedTo = message.verifiedTo;
        return;
      case 'verified':
        this.state = 'verified';
        this.verifiedTo = message.verifiedTo;
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

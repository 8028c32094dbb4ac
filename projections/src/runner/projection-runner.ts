import { compareCursors, type EventStore, type PositionedEvent, type Subscription } from '@proofpane/core';
import type { Kysely } from 'kysely';
import { applyBatch } from './apply-batch.js';
import { ensureVersion } from './checkpoints.js';
import type { Projection } from './projection.js';

export interface AppliedBatch {
  projection: string;
  events: readonly PositionedEvent[];
}

export interface RunnerOptions {
  db: Kysely<unknown>;
  store: EventStore;
  projection: Projection;
  batchSize: number;
  /** Live lag the runner accepts so that close commits are applied in one transaction. */
  gatherMs?: number;
  onApplied(batch: AppliedBatch): void;
  onError(error: unknown): void;
}

/** Follows the store for one projection: catch-up then live, from its own checkpoint. */
export class ProjectionRunner {
  private cursor: string | null = null;
  private subscription: Subscription | null = null;
  private restarting: Promise<void> | null = null;
  private stopped = false;
  lastError: string | null = null;

  constructor(private readonly options: RunnerOptions) {}

  get projection(): Projection {
    return this.options.projection;
  }

  get state(): 'starting' | 'running' | 'stopped' {
    if (this.stopped) return 'stopped';
    return this.subscription && !this.restarting ? 'running' : 'starting';
  }

  async start(): Promise<void> {
    const checkpoint = await ensureVersion(this.options.db, this.projection);
    this.cursor = checkpoint.cursor;
    if (!this.stopped) this.follow(checkpoint.cursor);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.restarting;
    await this.subscription?.close();
    this.subscription = null;
  }

  private follow(after: string): void {
    const { store, projection, batchSize, gatherMs } = this.options;
    this.subscription = store.subscribe({
      after,
      limit: batchSize,
      ...(gatherMs ? { gatherMs } : {}),
      ...(projection.handles ? { types: projection.handles } : {}),
      onEvents: (batch) => this.onBatch(batch),
      onError: (error) => {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.onError(error);
      },
    });
  }

  private async onBatch(delivered: PositionedEvent[]): Promise<void> {
    const from = this.cursor;
    if (this.restarting || this.stopped || from === null) return;
    // A delivery at or before the checkpoint must not be applied twice.
    const batch = delivered.filter((p) => compareCursors(p.cursor, from) > 0);
    if (batch.length === 0) return;
    const outcome = await applyBatch({
      db: this.options.db,
      projection: this.projection,
      events: batch,
      expected: from,
    });
    if (outcome.kind === 'applied') {
      this.cursor = outcome.cursor;
      this.lastError = null;
      this.options.onApplied({ projection: this.projection.name, events: batch });
      return;
    }
    // Another process moved the checkpoint (a rebuild from the CLI): follow again from where it stands.
    this.restarting = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      await this.subscription?.close();
      this.subscription = null;
      if (!this.stopped) await this.start();
      this.restarting = null;
    });
  }
}

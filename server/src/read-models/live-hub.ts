import { type EventEnvelope, type EventStore, START_CURSOR, type Subscription } from '@proofpane/core';
import { headCursor } from '@proofpane/projections';
import type { Kysely } from 'kysely';

type Listener = (events: EventEnvelope[]) => void;

/**
 * One store subscription shared by every live stream of this process: new events are read once
 * and handed to the listeners of their org, so a thousand open streams cost one reader.
 */
export class LiveHub {
  private subscription: Subscription | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly options: { store: EventStore; db: Kysely<unknown>; onError(error: unknown): void },
  ) {}

  async start(): Promise<void> {
    const after = (await headCursor(this.options.db)) ?? START_CURSOR;
    this.subscription = this.options.store.subscribe({
      after,
      limit: 1_000,
      onEvents: (batch) => this.dispatch(batch.map((p) => p.event)),
      onError: (error) => this.options.onError(error),
    });
  }

  listen(org: string, listener: Listener): () => void {
    let set = this.listeners.get(org);
    if (!set) {
      set = new Set();
      this.listeners.set(org, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(org) === set) this.listeners.delete(org);
    };
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
    this.listeners.clear();
  }

  private dispatch(events: EventEnvelope[]): void {
    const byOrg = new Map<string, EventEnvelope[]>();
    for (const event of events) {
      if (!this.listeners.has(event.org)) continue;
      const list = byOrg.get(event.org);
      if (list) list.push(event);
      else byOrg.set(event.org, [event]);
    }
    for (const [org, list] of byOrg) {
      for (const listener of this.listeners.get(org) ?? []) {
        try {
          listener(list);
        } catch (error) {
          this.options.onError(error);
        }
      }
    }
  }
}

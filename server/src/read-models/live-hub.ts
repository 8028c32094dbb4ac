import type { EventEnvelope, EventStore, Subscription } from '@proofpane/core';

type Listener = (events: EventEnvelope[]) => void;
/** The shared subscription, null when the hub stopped or closed it before it started. */
interface Reader {
  subscription: Promise<Subscription | null>;
}

/**
 * One store subscription shared by every live stream of this process: new events are read once
 * and handed to the listeners of their org, so a thousand open streams cost one reader. The
 * subscription runs only while someone listens; a process nobody watches reads nothing.
 */
export class LiveHub {
  private reader: Reader | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private stopped = false;

  constructor(private readonly options: { store: EventStore; onError(error: unknown): void }) {}

  /**
   * Resolves once the hub delivers every event committed from now on, so a stream that reads its
   * catch-up after this cannot miss one in between. The returned function stops listening.
   */
  async listen(org: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(org);
    if (!set) {
      set = new Set();
      this.listeners.set(org, set);
    }
    set.add(listener);
    const reader = this.reader ?? this.open();
    let listeningNow = true;
    const unlisten = () => {
      if (!listeningNow) return;
      listeningNow = false;
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(org) === set) this.listeners.delete(org);
      if (this.listeners.size === 0) void this.close();
    };
    try {
      await reader.subscription;
    } catch (error) {
      unlisten();
      throw error;
    }
    return unlisten;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    await this.close();
  }

  private open(): Reader {
    const reader: Reader = {
      subscription: this.options.store.latestCursor().then((after) =>
        this.stopped || this.reader !== reader
          ? null
          : this.options.store.subscribe({
              after,
              limit: 1_000,
              onEvents: (batch) => this.dispatch(batch.map((p) => p.event)),
              onError: (error) => this.options.onError(error),
            }),
      ),
    };
    this.reader = reader;
    // A failed start is reported to the listener that waits for it; the next listener tries again.
    reader.subscription.catch(() => {
      if (this.reader === reader) this.reader = null;
    });
    return reader;
  }

  private async close(): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    const subscription = await reader?.subscription.catch(() => null);
    await subscription?.close();
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

import type { EventEnvelope, EventStore, Subscription } from '@proofpane/core';

type Listener = (events: EventEnvelope[]) => void;

/**
 * One store reader shared by every live stream of this process: the orgs someone watches are read
 * together, by seq, and each new event goes to the listeners of its org, so a thousand open streams
 * cost one read per commit. Reading by org seq (not the global order) delivers an event as soon as
 * it commits, even while other transactions are open. Nothing is read while nobody listens.
 */
export class LiveHub {
  private follower: Subscription | null = null;
  /** Per watched org, the last seq handed to its listeners. */
  private readonly positions = new Map<string, number>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private stopped = false;

  constructor(private readonly options: { store: EventStore; onError(error: unknown): void }) {}

  /**
   * Resolves once the hub delivers every event of the org committed from now on, so a stream that
   * reads its catch-up after this cannot miss one in between. The returned function stops listening.
   */
  async listen(org: string, listener: Listener): Promise<() => void> {
    if (!this.positions.has(org)) {
      const head = await this.options.store.head(org);
      if (!this.positions.has(org)) this.positions.set(org, head?.seq ?? 0);
    }
    let set = this.listeners.get(org);
    if (!set) {
      set = new Set();
      this.listeners.set(org, set);
    }
    set.add(listener);
    if (!this.stopped) this.follower ??= this.follow();
    let listeningNow = true;
    return () => {
      if (!listeningNow) return;
      listeningNow = false;
      set.delete(listener);
      if (set.size > 0 || this.listeners.get(org) !== set) return;
      this.listeners.delete(org);
      this.positions.delete(org);
      if (this.listeners.size === 0) void this.close();
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    this.positions.clear();
    await this.close();
  }

  private follow(): Subscription {
    return this.options.store.followOrgs({
      positions: () => this.positions,
      onEvents: (events) => this.dispatch(events),
      onError: (error) => this.options.onError(error),
    });
  }

  private async close(): Promise<void> {
    const follower = this.follower;
    this.follower = null;
    await follower?.close();
  }

  private dispatch(events: EventEnvelope[]): void {
    const byOrg = new Map<string, EventEnvelope[]>();
    for (const event of events) {
      const position = this.positions.get(event.org);
      // An org dropped and watched again while a read was in flight restarts from its head.
      if (position === undefined || event.seq <= position) continue;
      this.positions.set(event.org, event.seq);
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

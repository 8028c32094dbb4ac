import type { PositionedEvent } from '../../events/envelope.js';
import type { ReadAllOptions, SubscribeOptions, Subscription } from '../event-store.js';

/** Wakes waiting subscribers when this process commits; other writers are found by polling. */
export class CommitSignal {
  private waiters: (() => void)[] = [];
  /** Bumped on every commit, so a reader can tell it missed one while it was reading. */
  generation = 0;

  notify(): void {
    this.generation += 1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  wait(timeoutMs: number, seenGeneration: number): Promise<void> {
    if (this.generation !== seenGeneration) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Catch-up then live: reads pages after the cursor, delivers them in order, waits for commits. */
export function subscribeLoop(options: {
  readPage: (o: ReadAllOptions) => Promise<{ events: PositionedEvent[]; next: string | undefined }>;
  signal: CommitSignal;
  pollMs: number;
  subscription: SubscribeOptions;
}): Subscription {
  const { subscription } = options;
  let cursor = subscription.after;
  let closed = false;
  const pageSize = subscription.limit ?? 500;
  const loop = (async () => {
    while (!closed) {
      const seen = options.signal.generation;
      try {
        const page = await options.readPage({
          after: cursor,
          limit: pageSize,
          ...(subscription.types ? { types: subscription.types } : {}),
        });
        if (closed) break;
        if (page.events.length > 0) await subscription.onEvents(page.events);
        if (page.next !== undefined) cursor = page.next;
        if (page.events.length === pageSize) continue;
      } catch (error) {
        if (closed) break;
        subscription.onError?.(error);
      }
      await options.signal.wait(options.pollMs, seen);
      if (subscription.gatherMs && !closed) await sleep(subscription.gatherMs);
    }
  })();
  return {
    close: async () => {
      closed = true;
      options.signal.notify();
      await loop;
    },
  };
}

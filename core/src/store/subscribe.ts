import type { EventEnvelope, PositionedEvent } from '../events/envelope.js';
import { compareCursors, START_CURSOR } from './cursor.js';
import type { FollowOrgsOptions, ReadAllOptions, SubscribeOptions, Subscription } from './event-store.js';

interface Waiter {
  /** Only commits holding one of these types wake it; undefined: every commit. */
  types: readonly string[] | undefined;
  wake(): void;
}

/**
 * Wakes waiting subscribers when this process commits; other writers are found by polling. A
 * reader of a few types sleeps through commits of other types: the next one of its types, or its
 * poll, finds them too.
 */
export class CommitSignal {
  private waiters: Waiter[] = [];
  /** Bumped on every commit, so a reader can tell it missed one while it was reading. */
  generation = 0;
  /** The generation of the last commit of each type, and of the last wake without types (close). */
  private readonly typeGenerations = new Map<string, number>();
  private untypedGeneration = 0;
  /** The global cursor of the newest event this process committed. */
  latest: string | undefined;
  /** The newest committed cursor by type (of commits whose types were given). */
  private readonly typeLatest = new Map<string, string>();

  /** `types`: those of the committed events; without them every waiter wakes. */
  notify(cursor?: string, types?: ReadonlySet<string>): void {
    if (cursor !== undefined && (this.latest === undefined || compareCursors(cursor, this.latest) > 0))
      this.latest = cursor;
    if (cursor !== undefined && types !== undefined)
      for (const type of types) {
        const known = this.typeLatest.get(type);
        if (known === undefined || compareCursors(cursor, known) > 0) this.typeLatest.set(type, cursor);
      }
    this.generation += 1;
    if (types === undefined) this.untypedGeneration = this.generation;
    else for (const type of types) this.typeGenerations.set(type, this.generation);
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (!types || !waiter.types || waiter.types.some((t) => types.has(t))) waiter.wake();
      else this.waiters.push(waiter);
    }
  }

  /**
   * The newest cursor this process committed that a reader of `types` cares about: a commit of other
   * types it cannot see yet is no reason for it to look again.
   */
  latestOf(types: readonly string[] | undefined): string | undefined {
    if (types === undefined) return this.latest;
    let newest: string | undefined;
    for (const type of types) {
      const cursor = this.typeLatest.get(type);
      if (cursor !== undefined && (newest === undefined || compareCursors(cursor, newest) > 0))
        newest = cursor;
    }
    return newest;
  }

  wait(timeoutMs: number, seenGeneration: number, types?: readonly string[]): Promise<void> {
    if (this.committedSince(seenGeneration, types)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        types,
        wake: () => {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private committedSince(generation: number, types: readonly string[] | undefined): boolean {
    if (types === undefined || this.untypedGeneration > generation) return this.generation !== generation;
    return types.some((t) => (this.typeGenerations.get(t) ?? 0) > generation);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** The first look again while a commit is not readable yet; each next one waits twice as long. */
const SHORT_RETRY_MS = 2;

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
  // Since when a read has fallen short of an event this process committed (see below).
  let shortSince: number | undefined;
  let shortRetryMs = SHORT_RETRY_MS;
  const loop = (async () => {
    while (!closed) {
      const seen = options.signal.generation;
      let read = false;
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
        read = true;
      } catch (error) {
        if (closed) break;
        subscription.onError?.(error);
      }
      // A commit this process made is not readable yet while an older transaction (a projection's,
      // say) is still open: readers only see what no running transaction can precede. Look again
      // shortly instead of sleeping until the next commit or poll, backing off, for at most one poll
      // interval (a long transaction elsewhere then gets the ordinary waits until the reader catches
      // up). Only commits of the reader's own types count: a projection of a few types does not
      // re-read the log because a commit of other types is not visible yet.
      const latest = options.signal.latestOf(subscription.types);
      const behind = read && latest !== undefined && compareCursors(cursor ?? START_CURSOR, latest) < 0;
      if (!behind) {
        shortSince = undefined;
        shortRetryMs = SHORT_RETRY_MS;
      } else {
        shortSince ??= performance.now();
        if (performance.now() - shortSince < options.pollMs) {
          await sleep(shortRetryMs);
          shortRetryMs = Math.min(shortRetryMs * 2, options.pollMs);
          continue;
        }
      }
      await options.signal.wait(options.pollMs, seen, subscription.types);
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

/** Live reads of a few orgs by seq, woken by this process's commits, polling for other writers. */
export function followOrgsLoop(options: {
  readOrgsAfter: (positions: ReadonlyMap<string, number>, limitPerOrg: number) => Promise<EventEnvelope[]>;
  signal: CommitSignal;
  pollMs: number;
  follow: FollowOrgsOptions;
}): Subscription {
  const { follow } = options;
  const limitPerOrg = 500;
  let closed = false;
  const loop = (async () => {
    while (!closed) {
      const seen = options.signal.generation;
      const positions = follow.positions();
      let more = false;
      if (positions.size > 0) {
        try {
          const events = await options.readOrgsAfter(positions, limitPerOrg);
          if (closed) break;
          if (events.length > 0) await follow.onEvents(events);
          more = events.length >= limitPerOrg && hasFullOrg(events, limitPerOrg);
        } catch (error) {
          if (closed) break;
          follow.onError?.(error);
        }
      }
      if (!more) await options.signal.wait(options.pollMs, seen);
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

function hasFullOrg(events: EventEnvelope[], limitPerOrg: number): boolean {
  const counts = new Map<string, number>();
  for (const event of events) {
    const count = (counts.get(event.org) ?? 0) + 1;
    if (count >= limitPerOrg) return true;
    counts.set(event.org, count);
  }
  return false;
}

/**
 * A store's live readers: the signal its own commits wake them with, the reading loops, and the set that
 * closes them with the store. The store supplies how a page (or a few orgs) is read.
 */
export class LiveReaders {
  private readonly signal = new CommitSignal();
  private readonly open = new Set<Subscription>();

  constructor(private readonly pollMs: number) {}

  /** A commit (of this process, or one another told of): wakes the readers of these types. */
  committed(cursor: string | undefined, types: ReadonlySet<string>): void {
    this.signal.notify(cursor, types);
  }

  subscribe(
    readPage: (o: ReadAllOptions) => Promise<{ events: PositionedEvent[]; next: string | undefined }>,
    subscription: SubscribeOptions,
  ): Subscription {
    return this.track(subscribeLoop({ readPage, signal: this.signal, pollMs: this.pollMs, subscription }));
  }

  followOrgs(
    readOrgsAfter: (positions: ReadonlyMap<string, number>, limitPerOrg: number) => Promise<EventEnvelope[]>,
    follow: FollowOrgsOptions,
  ): Subscription {
    return this.track(followOrgsLoop({ readOrgsAfter, signal: this.signal, pollMs: this.pollMs, follow }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((s) => s.close()));
  }

  private track(inner: Subscription): Subscription {
    const subscription: Subscription = {
      close: async () => {
        this.open.delete(subscription);
        await inner.close();
      },
    };
    this.open.add(subscription);
    return subscription;
  }
}

import type { Transaction } from 'kysely';
import type { EventEnvelope, NewEvent, PositionedEvent } from '../events/envelope.js';

export interface AppendOptions {
  org: string;
  events: NewEvent[];
  /** Per subject, the version the caller last saw (0: the subject must not exist yet). */
  expectedVersions?: Record<string, number>;
  /**
   * The table rows the events imply (inline read models), written in the same transaction as the
   * events: when it throws, nothing is appended and the append rejects with its error, so a failed
   * row never leaves an event behind. It must write through `trx` only: on PGlite the one connection
   * is held by this transaction, so a query through another handle would wait for it forever.
   * Such an append is written on its own, under the org's lock, outside the group commit.
   */
  inline?: InlineWrite;
}

/** Writes in the append's transaction; `appended` are the events as they will commit. */
export type InlineWrite = (trx: Transaction<unknown>, appended: EventEnvelope[]) => Promise<void>;

export interface OrgHead {
  seq: number;
  hash: string;
}

export interface ReadAllOptions {
  /** Start after this cursor; omit to read from the beginning. */
  after?: string | undefined;
  limit?: number;
  /** Only these event types (exact match); omit for every type. */
  types?: readonly string[];
}

export type ChainVerification =
  | { ok: true; checked: number; head: OrgHead | null }
  | { ok: false; checked: number; seq: number; reason: string };

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscribeOptions extends ReadAllOptions {
  /** Called with each batch in global order; the next batch waits for the promise. */
  onEvents(batch: PositionedEvent[]): Promise<void> | void;
  onError?(error: unknown): void;
  /**
   * Once live, waits this long after a commit wakes it before reading, so commits that land close
   * together are read and handled as one batch. For readers that trade a few ms of lag for fewer reads.
   */
  gatherMs?: number;
}

export interface FollowOrgsOptions {
  /** The orgs to follow and, for each, the last seq already handled; asked again before every read. */
  positions(): ReadonlyMap<string, number>;
  /** Called with the new events of the followed orgs, each org's in seq order; the next read waits for it. */
  onEvents(events: EventEnvelope[]): Promise<void> | void;
  onError?(error: unknown): void;
}

/**
 * The system of record: one hash-chained stream per org, appended in batches,
 * read by org range, by subject, or globally in commit order for projections.
 */
export interface EventStore {
  append(options: AppendOptions): Promise<EventEnvelope[]>;
  head(org: string): Promise<OrgHead | null>;
  readOrg(options: {
    org: string;
    fromSeq?: number;
    toSeq?: number;
    limit?: number;
  }): Promise<EventEnvelope[]>;
  readSubject(options: { org: string; subject: string }): Promise<EventEnvelope[]>;
  /** The org's event hashes from `fromSeq` (default 1) to `toSeq`, in seq order. */
  hashes(options: { org: string; fromSeq?: number; toSeq: number }): Promise<string[]>;
  readAll(options?: ReadAllOptions): Promise<PositionedEvent[]>;
  /** The cursor of the last event a reader can see now: subscribe after it to get only new events. */
  latestCursor(): Promise<string>;
  /** Catch up from `after`, then follow new events as they commit. */
  subscribe(options: SubscribeOptions): Subscription;
  /**
   * Follows a few orgs by seq for live views. An org's seqs commit in order, so an event is read as
   * soon as it commits, whatever other transaction is still open (a global subscription must wait
   * for those). Commits of this process wake it at once; other writers are found by polling.
   */
  followOrgs(options: FollowOrgsOptions): Subscription;
  /** Recomputes hashes and links of an org's chain; names the first broken seq and why. */
  verifyChain(options: { org: string; fromSeq?: number; toSeq?: number }): Promise<ChainVerification>;
  /** Orgs that have at least one event. */
  orgs(): Promise<string[]>;
  /** Stops taking appends, waits for those in flight, then releases connections. */
  close(): Promise<void>;
}

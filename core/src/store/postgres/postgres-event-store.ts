import type { z } from 'zod';
import { StoreClosedError } from '../../errors/index.js';
import { catalogue as productCatalogue } from '../../events/catalogue/index.js';
import type { EventEnvelope, PositionedEvent } from '../../events/envelope.js';
import { validateNewEvent } from '../../events/validate.js';
import type {
  AppendOptions,
  ChainVerification,
  EventStore,
  FollowOrgsOptions,
  OrgHead,
  ReadAllOptions,
  SubscribeOptions,
  Subscription,
} from '../event-store.js';
import { LiveReaders } from '../subscribe.js';
import { GroupCommitter } from './append.js';
import type { Database } from './database.js';
import { PlannerStatistics } from './planner-statistics.js';
import {
  listOrgs,
  readAll,
  readHashes,
  readHead,
  readLatestCursor,
  readOrg,
  readOrgsAfter,
  readPage,
  readSubject,
} from './read.js';
import { migrateEventStore } from './schema.js';
import { verifyChain } from './verify.js';

export interface PostgresEventStoreOptions {
  database: Database;
  catalogue?: Record<string, z.ZodType>;
  now?: () => Date;
  /** How often subscribers look for events written by other processes. */
  pollMs?: number;
  /** Hash partitions of a new events table by org (0: one table); `PROOFPANE_EVENTS_PARTITIONS`. */
  partitions?: number;
}

/** The EventStore over PostgreSQL or PGlite (the same SQL; only the driver differs). */
export class PostgresEventStore implements EventStore {
  private readonly committer: GroupCommitter;
  private readonly readers: LiveReaders;
  private readonly catalogue: Record<string, z.ZodType>;
  private readonly statistics: PlannerStatistics | null;
  private readonly commitListeners = new Set<(cursor: string, types: ReadonlySet<string>) => void>();
  private closed = false;

  private constructor(private readonly options: PostgresEventStoreOptions) {
    this.catalogue = options.catalogue ?? productCatalogue;
    this.readers = new LiveReaders(options.pollMs ?? 250);
    this.committer = new GroupCommitter(options.database.db, {
      now: options.now ?? (() => new Date()),
      onCommitted: (cursor, types) => {
        this.readers.committed(cursor, types);
        if (cursor !== undefined) for (const listener of this.commitListeners) listener(cursor, types);
      },
    });
    // A real server's autovacuum keeps the planner's sample; PGlite has none.
    this.statistics =
      options.database.driver === 'pglite' ? new PlannerStatistics(options.database.db) : null;
  }

  /** Migrates the events table if needed and returns a ready store. */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    await migrateEventStore(options.database.db, { partitions: options.partitions ?? 0 });
    const store = new PostgresEventStore(options);
    await store.statistics?.start();
    return store;
  }

  get database(): Database {
    return this.options.database;
  }

  append(options: AppendOptions): Promise<EventEnvelope[]> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    if (options.events.length === 0) return Promise.resolve([]);
    let events: AppendOptions['events'];
    try {
      events = options.events.map((event) => validateNewEvent(this.catalogue, event));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.committer.enqueue(options.org, {
        events,
        expectedVersions: options.expectedVersions,
        inline: options.inline,
        resolve: (appended) => {
          this.statistics?.appended(appended.length);
          resolve(appended);
        },
        reject,
      });
    });
  }

  head(org: string): Promise<OrgHead | null> {
    return readHead(this.db, org);
  }

  readOrg(options: {
    org: string;
    fromSeq?: number;
    toSeq?: number;
    limit?: number;
  }): Promise<EventEnvelope[]> {
    return readOrg(this.db, options);
  }

  readSubject(options: { org: string; subject: string }): Promise<EventEnvelope[]> {
    return readSubject(this.db, options);
  }

  hashes(options: { org: string; fromSeq?: number; toSeq: number }): Promise<string[]> {
    return readHashes(this.db, options);
  }

  readAll(options?: ReadAllOptions): Promise<PositionedEvent[]> {
    return readAll(this.db, options);
  }

  latestCursor(): Promise<string> {
    return readLatestCursor(this.db);
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.readers.subscribe((o) => readPage(this.db, o), options);
  }

  followOrgs(options: FollowOrgsOptions): Subscription {
    return this.readers.followOrgs((positions, limit) => readOrgsAfter(this.db, positions, limit), options);
  }

  /**
   * Called after each commit of this store, so a reader in another thread can be woken at once
   * (see `committedElsewhere`) instead of finding the events at its next poll.
   */
  onCommitted(listener: (cursor: string, types: ReadonlySet<string>) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Wakes this store's subscribers for a commit another store over the same database made. */
  committedElsewhere(cursor: string, types: ReadonlySet<string>): void {
    this.readers.committed(cursor, types);
  }

  verifyChain(options: { org: string; fromSeq?: number; toSeq?: number }): Promise<ChainVerification> {
    return verifyChain(this.db, options);
  }

  orgs(): Promise<string[]> {
    return listOrgs(this.db);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.committer.drain();
    await this.readers.close();
    await this.statistics?.close();
  }

  private get db() {
    return this.options.database.db;
  }
}

import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  type ReadAllOptions as KurrentReadAllOptions,
  type ReadStreamOptions,
  START,
  StreamNotFoundError,
} from '@kurrent/kurrentdb-client';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { CoreError, StoreClosedError } from '../../errors/index.js';
import { catalogue as productCatalogue } from '../../events/catalogue/index.js';
import { type EventEnvelope, GENESIS_PREV, type PositionedEvent } from '../../events/envelope.js';
import { validateNewEvent } from '../../events/validate.js';
import { compareCursors, START_CURSOR } from '../cursor.js';
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
import { StreamWriter } from './append.js';
import {
  cursorOf,
  DEFAULT_STREAM_PREFIX,
  envelopeOfRecord,
  positioned,
  positionOf,
  type ReadRecord,
  readRecord,
} from './records.js';
import { verifyRecords } from './verify.js';

export interface KurrentDbEventStoreOptions {
  /** `kurrentdb://host:port?tls=false` or `esdb://…`; `KURRENTDB_URL`. */
  connectionString: string;
  catalogue?: Record<string, z.ZodType>;
  now?: () => Date;
  /** How often subscribers look for events written by other processes. */
  pollMs?: number;
  /** Stream names are `<prefix><org>`; default `proofpane-org-`. */
  streamPrefix?: string;
  /**
   * The SQL database the `inline` rows of an append are written to. The rows' transaction stays open
   * until KurrentDB took the events and commits after it: a throwing row appends nothing, but a
   * commit that fails after the append leaves events without rows (`proofpane rebuild-tables`
   * derives them again). Without it, an append with `inline` is refused.
   */
  inlineDatabase?: Kysely<unknown>;
}

const PAGE = 500;

/**
 * The EventStore over KurrentDB (docs/decisions/0051): one stream per org, the hash chain kept on
 * top, every append made with the expected revision of the last event read so the chain never forks.
 * Global order is `$all`'s; subscriptions read it by polling plus this process's own commits.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly writer: StreamWriter;
  private readonly readers: LiveReaders;
  private readonly catalogue: Record<string, z.ZodType>;
  private readonly prefix: string;
  private closed = false;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbEventStoreOptions,
  ) {
    this.catalogue = options.catalogue ?? productCatalogue;
    this.prefix = options.streamPrefix ?? DEFAULT_STREAM_PREFIX;
    this.readers = new LiveReaders(options.pollMs ?? 250);
    this.writer = new StreamWriter(client, {
      streamOf: (org) => this.streamOf(org),
      now: options.now ?? (() => new Date()),
      inlineDatabase: options.inlineDatabase,
      onCommitted: (cursor, types) => this.readers.committed(cursor, types),
    });
  }

  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const client = KurrentDBClient.connectionString(options.connectionString);
    const store = new KurrentDbEventStore(client, options);
    await store.latestCursor();
    return store;
  }

  streamOf(org: string): string {
    return `${this.prefix}${org}`;
  }

  append(options: AppendOptions): Promise<EventEnvelope[]> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    if (options.events.length === 0) return Promise.resolve([]);
    if (options.inline && !this.options.inlineDatabase)
      return Promise.reject(
        new CoreError('internal', 'this KurrentDB store has no database for inline rows'),
      );
    let events: AppendOptions['events'];
    try {
      events = options.events.map((event) => validateNewEvent(this.catalogue, event));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.writer.enqueue(options.org, {
        events,
        expectedVersions: options.expectedVersions,
        inline: options.inline,
        resolve,
        reject,
      });
    });
  }

  async head(org: string): Promise<OrgHead | null> {
    const [last] = await this.readStream(org, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last ? { seq: last.seq, hash: last.hash } : null;
  }

  async readOrg(options: {
    org: string;
    fromSeq?: number;
    toSeq?: number;
    limit?: number;
  }): Promise<EventEnvelope[]> {
    const fromSeq = Math.max(1, options.fromSeq ?? 1);
    const toSeq = options.toSeq ?? Number.MAX_SAFE_INTEGER;
    if (toSeq < fromSeq) return [];
    const maxCount = Math.min(options.limit ?? Number.MAX_SAFE_INTEGER, toSeq - fromSeq + 1);
    const records = await this.readStream(options.org, { fromRevision: BigInt(fromSeq - 1), maxCount });
    return records.filter((r) => r.seq <= toSeq).map(envelopeOfRecord);
  }

  /** Reads the org's stream and keeps the subject's events: KurrentDB has no index by field. */
  async readSubject(options: { org: string; subject: string }): Promise<EventEnvelope[]> {
    const events: EventEnvelope[] = [];
    for await (const record of this.streamRecords(options.org, { fromRevision: START }))
      if (record.body.subject === options.subject) events.push(envelopeOfRecord(record));
    return events;
  }

  async hashes(options: { org: string; fromSeq?: number; toSeq: number }): Promise<string[]> {
    const events = await this.readOrg(options);
    return events.map((e) => e.hash);
  }

  async readAll(options: ReadAllOptions = {}): Promise<PositionedEvent[]> {
    return (await this.readPage(options)).events;
  }

  /**
   * A page of the org streams in `$all` order after the cursor. Other streams (KurrentDB's own `$…`
   * ones) and other types are skipped; `next` is the last position looked at, so a reader of rare
   * types does not rescan them.
   */
  async readPage(
    options: ReadAllOptions = {},
  ): Promise<{ events: PositionedEvent[]; next: string | undefined }> {
    const limit = options.limit ?? PAGE;
    const types = options.types && options.types.length > 0 ? new Set(options.types) : undefined;
    const events: PositionedEvent[] = [];
    let after = options.after;
    let next = options.after;
    for (;;) {
      const from = positionOf(after);
      const page = await this.readAllRaw({ fromPosition: from ?? START, maxCount: limit + 1 });
      let fresh = 0;
      for (const resolved of page) {
        const position = resolved.event?.position;
        if (!position) continue;
        const cursor = cursorOf(position);
        if (after !== undefined && compareCursors(cursor, after) <= 0) continue;
        fresh += 1;
        next = cursor;
        after = cursor;
        const record = this.orgRecord(resolved);
        if (!record || (types && !types.has(record.body.type))) continue;
        events.push(positioned(record));
        if (events.length === limit) return { events, next };
      }
      if (fresh === 0) return { events, next };
    }
  }

  async latestCursor(): Promise<string> {
    const [last] = await this.readAllRaw({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    const position = last?.event?.position;
    return position ? cursorOf(position) : START_CURSOR;
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.readers.subscribe((o) => this.readPage(o), options);
  }

  followOrgs(options: FollowOrgsOptions): Subscription {
    return this.readers.followOrgs(async (positions, limit) => {
      const reads = [...positions].map(([org, seq]) => this.readOrg({ org, fromSeq: seq + 1, limit }));
      return (await Promise.all(reads)).flat();
    }, options);
  }

  async verifyChain(options: { org: string; fromSeq?: number; toSeq?: number }): Promise<ChainVerification> {
    const { org } = options;
    const fromSeq = Math.max(1, options.fromSeq ?? 1);
    const prevHash =
      fromSeq > 1
        ? (await this.readOrg({ org, fromSeq: fromSeq - 1, toSeq: fromSeq - 1 }))[0]?.hash
        : GENESIS_PREV;
    return verifyRecords(this.streamRecords(org, { fromRevision: BigInt(fromSeq - 1) }), {
      org,
      fromSeq,
      toSeq: options.toSeq ?? Number.MAX_SAFE_INTEGER,
      prevHash,
    });
  }

  /** Scans `$all` for the org streams: KurrentDB lists streams only through its `$streams` projection. */
  async orgs(): Promise<string[]> {
    const orgs = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const page = await this.readAllRaw({ fromPosition: positionOf(after) ?? START, maxCount: PAGE + 1 });
      let fresh = 0;
      for (const resolved of page) {
        const event = resolved.event;
        if (!event?.position) continue;
        const cursor = cursorOf(event.position);
        if (after !== undefined && compareCursors(cursor, after) <= 0) continue;
        fresh += 1;
        after = cursor;
        if (event.streamId.startsWith(this.prefix)) orgs.add(event.streamId.slice(this.prefix.length));
      }
      if (fresh === 0) return [...orgs];
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.drain();
    await this.readers.close();
    await this.client.dispose();
  }

  private orgRecord(resolved: Parameters<typeof readRecord>[0]): ReadRecord | undefined {
    if (!resolved.event?.streamId.startsWith(this.prefix)) return undefined;
    return readRecord(resolved);
  }

  /** The org's events as they arrive, one stream read; none when the stream does not exist. */
  private async *streamRecords(org: string, options: ReadStreamOptions): AsyncGenerator<ReadRecord> {
    try {
      for await (const resolved of this.client.readStream(this.streamOf(org), {
        direction: FORWARDS,
        ...options,
      })) {
        const record = readRecord(resolved);
        if (record) yield record;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }

  private async readStream(org: string, options: ReadStreamOptions): Promise<ReadRecord[]> {
    const records: ReadRecord[] = [];
    for await (const record of this.streamRecords(org, options)) records.push(record);
    return records;
  }

  private async readAllRaw(options: KurrentReadAllOptions) {
    const events = [];
    for await (const resolved of this.client.readAll({ direction: FORWARDS, ...options }))
      events.push(resolved);
    return events;
  }
}

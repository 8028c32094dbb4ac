import {
  type KurrentDBClient,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { Kysely } from 'kysely';
import { CoreError } from '../../errors/index.js';
import { type EventEnvelope, GENESIS_PREV } from '../../events/envelope.js';
import { chainBatch, type PendingAppend } from '../chain-batch.js';
import { cursorOf, readRecord, toStored } from './records.js';

/** What this process knows of an org's stream: its last revision (-1: none), head hash and subject versions. */
interface OrgTip {
  revision: number;
  prev: string;
  versions: Map<string, number>;
}

const MAX_EVENTS_PER_APPEND = 2_000;
const MAX_CONFLICT_RETRIES = 8;

/** Thrown inside an inline transaction to roll it back when the stream moved under it. */
class StreamMoved extends Error {}

/**
 * Appends to one stream per org with the expected revision of the last event it read, so two
 * writers never fork a chain: the second's append is refused by KurrentDB, which this writer turns
 * into a catch-up (reading the events it missed) and a retry. Appends to one org queue up while one
 * is in flight and the next takes them all, as the SQL store's group commit does.
 */
export class StreamWriter {
  private readonly queues = new Map<string, PendingAppend[]>();
  private readonly flushing = new Map<string, Promise<void>>();
  private readonly tips = new Map<string, OrgTip>();

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: {
      streamOf: (org: string) => string;
      now: () => Date;
      inlineDatabase: Kysely<unknown> | undefined;
      onCommitted: (cursor: string | undefined, types: Set<string>) => void;
    },
  ) {}

  enqueue(org: string, pending: PendingAppend): void {
    const queue = this.queues.get(org);
    if (queue) queue.push(pending);
    else this.queues.set(org, [pending]);
    if (!this.flushing.has(org)) this.flushing.set(org, this.flushSoon(org));
  }

  async drain(): Promise<void> {
    while (this.flushing.size > 0) await Promise.allSettled([...this.flushing.values()]);
  }

  private async flushSoon(org: string): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      const queue = this.queues.get(org);
      if (!queue || queue.length === 0) {
        this.queues.delete(org);
        this.flushing.delete(org);
        return;
      }
      const batch: PendingAppend[] = [queue.shift()!];
      if (!batch[0]!.inline) {
        let size = batch[0]!.events.length;
        while (
          queue.length > 0 &&
          !queue[0]!.inline &&
          size + queue[0]!.events.length <= MAX_EVENTS_PER_APPEND
        ) {
          const next = queue.shift()!;
          size += next.events.length;
          batch.push(next);
        }
      }
      await this.write(org, batch);
    }
  }

  private async write(org: string, batch: PendingAppend[]): Promise<void> {
    const inline = batch[0]!.inline;
    let refusal: { error: unknown } | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        const tip = await this.tipOf(
          org,
          batch.some((p) => p.expectedVersions !== undefined),
        );
        const planned = this.plan(org, tip, batch);
        try {
          if (inline && planned.rows.length > 0) {
            const database = this.options.inlineDatabase;
            if (!database)
              throw new CoreError('internal', 'this KurrentDB store has no database for inline rows');
            await database.transaction().execute(async (trx) => {
              try {
                await inline(trx, planned.rows);
              } catch (error) {
                refusal = { error };
                throw error;
              }
              // The rows are written but not committed: if the stream moved, they roll back with this throw.
              await this.appendRows(org, tip, planned);
            });
          } else if (planned.rows.length > 0) {
            await this.appendRows(org, tip, planned);
          }
        } catch (error) {
          if (!(error instanceof StreamMoved)) throw error;
          if (attempt >= MAX_CONFLICT_RETRIES)
            throw new CoreError(
              'append_conflict',
              `org ${org}: could not extend the chain after ${attempt} tries`,
            );
          await this.catchUp(org, tip);
          continue;
        }
        batch.forEach((pending, i) => {
          const outcome = planned.outcomes[i]!;
          if (outcome instanceof Error) pending.reject(outcome);
          else pending.resolve(outcome);
        });
        return;
      }
    } catch (error) {
      this.tips.delete(org);
      for (const pending of batch) pending.reject(refusal ? refusal.error : error);
    }
  }

  /** Appends with the expected revision of the tip; a refusal means another writer got there first. */
  private async appendRows(
    org: string,
    tip: OrgTip,
    planned: { rows: EventEnvelope[]; versions: Map<string, number> },
  ): Promise<void> {
    let result: Awaited<ReturnType<KurrentDBClient['appendToStream']>>;
    try {
      result = await this.client.appendToStream(this.options.streamOf(org), planned.rows.map(toStored), {
        streamState: tip.revision < 0 ? 'no_stream' : BigInt(tip.revision),
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw new StreamMoved();
      throw error;
    }
    const last = planned.rows.at(-1)!;
    tip.revision += planned.rows.length;
    tip.prev = last.hash;
    tip.versions = planned.versions;
    this.options.onCommitted(
      result.position ? cursorOf(result.position) : undefined,
      new Set(planned.rows.map((r) => r.type)),
    );
  }

  /** Builds the envelopes of a batch on the tip, refusing the appends whose expected versions are stale. */
  private plan(org: string, tip: OrgTip, batch: PendingAppend[]) {
    const start = { seq: tip.revision + 1, prev: tip.prev, versions: tip.versions };
    const chained = chainBatch(org, start, batch, this.options.now().toISOString());
    return { rows: chained.rows, outcomes: chained.outcomes, versions: chained.tip.versions };
  }

  /**
   * The tip to build on. A batch that states expected versions first reads what other writers
   * appended since, so a stale tip can neither refuse nor accept on the wrong version.
   */
  private async tipOf(org: string, fresh: boolean): Promise<OrgTip> {
    let tip = this.tips.get(org);
    if (!tip) {
      tip = { revision: -1, prev: GENESIS_PREV, versions: new Map() };
      await this.catchUp(org, tip);
      this.tips.set(org, tip);
    } else if (fresh) await this.catchUp(org, tip);
    return tip;
  }

  /** Folds the events after the tip's revision into it. */
  private async catchUp(org: string, tip: OrgTip): Promise<void> {
    try {
      const events = this.client.readStream(this.options.streamOf(org), {
        fromRevision: BigInt(tip.revision + 1),
      });
      for await (const resolved of events) {
        const record = readRecord(resolved);
        if (!record) continue;
        tip.revision = record.seq - 1;
        tip.prev = record.hash;
        tip.versions.set(record.body.subject, record.body.subjectVersion);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }
}

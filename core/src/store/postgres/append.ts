import { type Kysely, sql } from 'kysely';
import { sha256Hex } from '../../crypto/sha256.js';
import { ConcurrencyError, CoreError } from '../../errors.js';
import { canonicalJson, type EventEnvelope, GENESIS_PREV, type NewEvent } from '../../events/envelope.js';
import { eventId } from '../../ids.js';

export interface PendingAppend {
  events: NewEvent[];
  expectedVersions: Record<string, number> | undefined;
  resolve(envelopes: EventEnvelope[]): void;
  reject(error: unknown): void;
}

const MAX_EVENTS_PER_TRANSACTION = 2_000;
const MAX_FORK_RETRIES = 8;
const UNIQUE_VIOLATION = '23505';

/**
 * Group commit: appends to one org queue up while a transaction is writing, and the
 * next transaction takes them all. Orgs flush independently (in parallel on a real server).
 * An advisory lock per org serialises writers across processes; the unique (org, seq)
 * constraint is the backstop that turns any fork into a retry.
 */
export class GroupCommitter {
  private readonly queues = new Map<string, PendingAppend[]>();
  private readonly flushing = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Kysely<unknown>,
    private readonly options: { now: () => Date; onCommitted: () => void },
  ) {}

  enqueue(org: string, pending: PendingAppend): void {
    const queue = this.queues.get(org);
    if (queue) queue.push(pending);
    else this.queues.set(org, [pending]);
    if (!this.flushing.has(org)) this.flushing.set(org, this.flush(org));
  }

  /** Resolves when every queued append has been written or refused. */
  async drain(): Promise<void> {
    while (this.flushing.size > 0) await Promise.allSettled([...this.flushing.values()]);
  }

  private async flush(org: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(org);
      if (!queue || queue.length === 0) {
        // Both maps are cleared in the same tick, so an append arriving now starts a new flush.
        this.queues.delete(org);
        this.flushing.delete(org);
        return;
      }
      const batch: PendingAppend[] = [];
      let size = 0;
      while (
        queue.length > 0 &&
        (batch.length === 0 || size + queue[0]!.events.length <= MAX_EVENTS_PER_TRANSACTION)
      ) {
        const next = queue.shift()!;
        size += next.events.length;
        batch.push(next);
      }
      await this.writeWithRetry(org, batch);
    }
  }

  private async writeWithRetry(org: string, batch: PendingAppend[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await this.write(org, batch);
        this.options.onCommitted();
        batch.forEach((pending, i) => {
          const outcome = outcomes[i]!;
          if (outcome instanceof Error) pending.reject(outcome);
          else pending.resolve(outcome);
        });
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === UNIQUE_VIOLATION && attempt < MAX_FORK_RETRIES) continue;
        const failure =
          code === UNIQUE_VIOLATION
            ? new CoreError(
                'append_conflict',
                `org ${org}: could not extend the chain after ${attempt} tries`,
                503,
              )
            : error;
        for (const pending of batch) pending.reject(failure);
        return;
      }
    }
  }

  private write(org: string, batch: PendingAppend[]): Promise<(EventEnvelope[] | Error)[]> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${org}, 7201))`.execute(trx);
      const head = await sql<{ seq: string; hash: string }>`
        SELECT seq, hash FROM events WHERE org = ${org} ORDER BY seq DESC LIMIT 1`.execute(trx);
      const subjects = [...new Set(batch.flatMap((p) => p.events.map((e) => e.subject)))];
      const versionRows = await sql<{ subject: string; version: number }>`
        SELECT subject, max(subject_version) AS version FROM events
        WHERE org = ${org} AND subject = ANY(${subjects}::text[]) GROUP BY subject`.execute(trx);
      const versions = new Map(versionRows.rows.map((r) => [r.subject, Number(r.version)]));

      let seq = Number(head.rows[0]?.seq ?? 0);
      let prev = head.rows[0]?.hash ?? GENESIS_PREV;
      const time = this.options.now().toISOString();
      const rows: EventEnvelope[] = [];
      const bodies: string[] = [];
      const outcomes = batch.map((pending): EventEnvelope[] | Error => {
        for (const [subject, expected] of Object.entries(pending.expectedVersions ?? {})) {
          const actual = versions.get(subject) ?? 0;
          if (actual !== expected) return new ConcurrencyError(subject, expected, actual);
        }
        return pending.events.map((event) => {
          const subjectVersion = (versions.get(event.subject) ?? 0) + 1;
          versions.set(event.subject, subjectVersion);
          seq += 1;
          const unsigned = {
            org,
            seq,
            id: eventId(),
            type: event.type,
            subject: event.subject,
            subjectVersion,
            time,
            actor: event.actor,
            data: event.data as Record<string, unknown>,
            meta: event.meta ?? {},
            prev,
          };
          const body = canonicalJson(unsigned);
          const envelope: EventEnvelope = { ...unsigned, hash: sha256Hex(body) };
          prev = envelope.hash;
          rows.push(envelope);
          bodies.push(body);
          return envelope;
        });
      });
      if (rows.length > 0) {
        await sql`
          INSERT INTO events (org, seq, id, type, subject, subject_version, time, body, prev, hash)
          SELECT ${org}, * FROM unnest(
            ${rows.map((r) => r.seq)}::bigint[], ${rows.map((r) => r.id)}::uuid[],
            ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.subject)}::text[],
            ${rows.map((r) => r.subjectVersion)}::int[], ${rows.map((r) => r.time)}::timestamptz[],
            ${bodies}::text[], ${rows.map((r) => r.prev)}::text[], ${rows.map((r) => r.hash)}::text[])`.execute(
          trx,
        );
      }
      return outcomes;
    });
  }
}

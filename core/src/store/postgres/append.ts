import { type Kysely, sql } from 'kysely';
import { CoreError } from '../../errors/index.js';
import { type EventEnvelope, GENESIS_PREV } from '../../events/envelope.js';
import { chainBatch, type PendingAppend } from '../chain-batch.js';
import { formatCursor } from '../cursor.js';

const MAX_EVENTS_PER_TRANSACTION = 2_000;
const MAX_CACHED_SUBJECTS_PER_ORG = 10_000;

/** What this process last wrote to an org: trusted only until an insert says otherwise. */
interface OrgTip {
  seq: number;
  prev: string;
  versions: Map<string, number>;
}
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
  private readonly tips = new Map<string, OrgTip>();

  constructor(
    private readonly db: Kysely<unknown>,
    private readonly options: {
      now: () => Date;
      /** With the global cursor of the last event written, when the batch wrote any, and the types written. */
      onCommitted: (cursor: string | undefined, types: Set<string>) => void;
    },
  ) {}

  enqueue(org: string, pending: PendingAppend): void {
    const queue = this.queues.get(org);
    if (queue) queue.push(pending);
    else this.queues.set(org, [pending]);
    if (!this.flushing.has(org)) this.flushing.set(org, this.flushSoon(org));
  }

  /**
   * Starts a flush once the I/O callbacks already due have run: they may append to the same org. With
   * PGlite a write runs synchronously on this thread, so nothing could queue behind it otherwise.
   */
  private async flushSoon(org: string): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.flush(org);
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
      if (queue[0]!.inline) {
        await this.writeInline(org, queue.shift()!);
        continue;
      }
      const batch: PendingAppend[] = [];
      let size = 0;
      while (
        queue.length > 0 &&
        !queue[0]!.inline &&
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
        // First try with two round trips: read, then one INSERT that only proceeds if no
        // other process holds the org's lock, and that the unique (org, seq) constraint
        // keeps from forking the chain. After a conflict, serialise behind the lock.
        // The first attempt may start from the tip this process wrote last (no read at all): if
        // another writer moved the chain since, the insert conflicts and the retry reads afresh.
        const written =
          attempt === 1
            ? await this.write(this.db, org, batch, true)
            : await this.db.transaction().execute(async (trx) => {
                await sql`SELECT pg_advisory_xact_lock(${orgLockKey(org)})`.execute(trx);
                return this.write(trx, org, batch, false);
              });
        if (written === LOCKED) {
          this.tips.delete(org);
          continue;
        }
        const { outcomes, tip, cursor } = written;
        this.remember(org, tip);
        this.options.onCommitted(cursor, typesOf(batch));
        batch.forEach((pending, i) => {
          const outcome = outcomes[i]!;
          if (outcome instanceof Error) pending.reject(outcome);
          else pending.resolve(outcome);
        });
        return;
      } catch (error) {
        this.tips.delete(org);
        const code = (error as { code?: string }).code;
        if (code === UNIQUE_VIOLATION && attempt < MAX_FORK_RETRIES) continue;
        const failure =
          code === UNIQUE_VIOLATION
            ? new CoreError(
                'append_conflict',
                `org ${org}: could not extend the chain after ${attempt} tries`,
              )
            : error;
        for (const pending of batch) pending.reject(failure);
        return;
      }
    }
  }

  /**
   * An append with inline rows gets a transaction of its own, under the org's lock, so that its rows'
   * failure rolls back its events and no one else's. Queue order is kept: the appends queued before
   * it were written first, those after it wait for it.
   */
  private async writeInline(org: string, pending: PendingAppend): Promise<void> {
    const inline = pending.inline!;
    let refusal: { error: unknown } | undefined;
    try {
      const written = await this.db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${orgLockKey(org)})`.execute(trx);
        const result = await this.write(trx, org, [pending], false);
        if (result === LOCKED) throw new CoreError('append_conflict', `org ${org}: lock lost`);
        const outcome = result.outcomes[0]!;
        if (outcome instanceof Error) return result;
        try {
          await inline(trx, outcome);
        } catch (error) {
          // Kept apart from the store's own failures: a unique violation here is the caller's
          // (a duplicate row), not a fork to retry.
          refusal = { error };
          throw error;
        }
        return result;
      });
      const { outcomes, tip, cursor } = written;
      this.remember(org, tip);
      if (cursor !== undefined) this.options.onCommitted(cursor, typesOf([pending]));
      const outcome = outcomes[0]!;
      if (outcome instanceof Error) pending.reject(outcome);
      else pending.resolve(outcome);
    } catch (error) {
      this.tips.delete(org);
      pending.reject(refusal ? refusal.error : error);
    }
  }

  /** Reads the org head and the batch's subject versions in one round trip. */
  private async readState(db: Kysely<unknown>, org: string, subjects: string[]) {
    const { rows } = await sql<{ subject: string | null; n: string; hash: string | null }>`
      (SELECT NULL::text AS subject, seq::text AS n, hash FROM events WHERE org = ${org} ORDER BY seq DESC LIMIT 1)
      UNION ALL
      SELECT s.subject, v.subject_version::text AS n, NULL AS hash
      FROM unnest(${subjects}::text[]) AS s(subject)
      CROSS JOIN LATERAL (
        SELECT subject_version FROM events WHERE org = ${org} AND subject = s.subject
        ORDER BY subject_version DESC LIMIT 1
      ) v`.execute(db);
    const headRow = rows.find((r) => r.subject === null);
    const versions = new Map(rows.filter((r) => r.subject !== null).map((r) => [r.subject!, Number(r.n)]));
    return { seq: Number(headRow?.n ?? 0), prev: headRow?.hash ?? GENESIS_PREV, versions };
  }

  private remember(org: string, tip: OrgTip): void {
    const known = this.tips.get(org);
    if (known && known.versions.size + tip.versions.size <= MAX_CACHED_SUBJECTS_PER_ORG) {
      for (const [subject, version] of tip.versions) known.versions.set(subject, version);
      known.seq = tip.seq;
      known.prev = tip.prev;
    } else {
      this.tips.set(org, tip);
    }
  }

  /**
   * The head and subject versions to build on. Batches that state expected versions always read
   * them, so a stale tip can never refuse (or accept) on the wrong version.
   */
  private async startingPoint(db: Kysely<unknown>, org: string, batch: PendingAppend[], trustTip: boolean) {
    const subjects = [...new Set(batch.flatMap((p) => p.events.map((e) => e.subject)))];
    const tip = this.tips.get(org);
    if (trustTip && tip && !batch.some((p) => p.expectedVersions)) {
      const versions = new Map<string, number>();
      for (const subject of subjects) {
        const known = tip.versions.get(subject);
        if (known !== undefined) versions.set(subject, known);
      }
      return { seq: tip.seq, prev: tip.prev, versions };
    }
    return this.readState(db, org, subjects);
  }

  private async write(
    db: Kysely<unknown>,
    org: string,
    batch: PendingAppend[],
    trustTip: boolean,
  ): Promise<
    { outcomes: (EventEnvelope[] | Error)[]; tip: OrgTip; cursor: string | undefined } | typeof LOCKED
  > {
    const state = await this.startingPoint(db, org, batch, trustTip);
    const { outcomes, rows, bodies, tip } = chainBatch(org, state, batch, this.options.now().toISOString());
    let cursor: string | undefined;
    if (rows.length > 0) {
      const inserted = await insertRows(db, org, rows, bodies);
      if (inserted.inserted < rows.length) return LOCKED;
      cursor = inserted.cursor;
    }
    return { outcomes, tip, cursor };
  }
}

function typesOf(batch: readonly PendingAppend[]): Set<string> {
  const types = new Set<string>();
  for (const pending of batch) for (const event of pending.events) types.add(event.type);
  return types;
}

const LOCKED = Symbol('org locked by another writer');

const orgLockKey = (org: string) => sql`hashtextextended(${org}, 7201)`;

/**
 * One multi-row INSERT through unnest, a single statement whatever the batch size.
 * It writes nothing (and returns 0) while another transaction holds the org's lock.
 */
async function insertRows(
  db: Kysely<unknown>,
  org: string,
  rows: EventEnvelope[],
  bodies: string[],
): Promise<{ inserted: number; cursor: string | undefined }> {
  const result = await sql<{ inserted: number; tx_id: string | null; position: string | null }>`
    WITH written AS (
    INSERT INTO events (org, seq, id, type, subject, subject_version, time, body, prev, hash)
    SELECT ${org}, * FROM unnest(
      ${rows.map((r) => r.seq)}::bigint[], ${rows.map((r) => r.id)}::uuid[],
      ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.subject)}::text[],
      ${rows.map((r) => r.subjectVersion)}::int[], ${rows.map((r) => r.time)}::timestamptz[],
      ${bodies}::text[], ${rows.map((r) => r.prev)}::text[], ${rows.map((r) => r.hash)}::text[])
    WHERE (SELECT pg_try_advisory_xact_lock(${orgLockKey(org)}))
    RETURNING tx_id, position)
    SELECT count(*)::int AS inserted, min(tx_id::text) AS tx_id, max(position)::text AS position
    FROM written`.execute(db);
  const row = result.rows[0];
  return {
    inserted: row?.inserted ?? 0,
    cursor: row?.tx_id && row.position ? formatCursor(row.tx_id, row.position) : undefined,
  };
}

import { type Kysely, sql } from 'kysely';

/**
 * A sample is retaken once the log has doubled since (from 10,000 events: sorting fewer per page
 * costs a few milliseconds). The planner scales a table's size to its current pages by itself; only
 * the mix of types needs a sample, and it moves slowly. Autovacuum's own rule (10%) would sample the
 * log some ten times over.
 */
const staleAfter = (sampledRows: number) => Math.max(10_000, sampledRows);

async function sampledEvents(db: Kysely<unknown>): Promise<{ rows: number; any: boolean } | null> {
  const { rows } = await sql<{ rows: number; any: boolean }>`
    SELECT reltuples::float8 AS rows, EXISTS (SELECT 1 FROM events) AS any
    FROM pg_class WHERE oid = 'events'::regclass`.execute(db);
  return rows[0] ?? null;
}

/**
 * Keeps the planner's sample of the events table current where nothing else does: PGlite runs no
 * autovacuum. Without a sample, a type-filtered read of the log (a projection catching up, a
 * subscriber of rare types) is planned as a sort of every event after its cursor, once per page.
 * Counts the events appended through the store and samples the log when it has grown enough, one
 * analysis at a time, off the append path.
 */
export class PlannerStatistics {
  private sampledRows = 0;
  private appendedSince = 0;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly db: Kysely<unknown>) {}

  /** Samples at once when the log holds events the planner has never seen (an existing data folder). */
  async start(): Promise<void> {
    const events = await sampledEvents(this.db);
    if (!events) return;
    if (events.rows >= 0) this.sampledRows = events.rows;
    else if (events.any) this.analyze();
  }

  appended(count: number): void {
    this.appendedSince += count;
    if (!this.running && !this.closed && this.appendedSince > staleAfter(this.sampledRows)) this.analyze();
  }

  /** Waits for an analysis under way, so the database can close after it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  private analyze(): void {
    this.appendedSince = 0;
    this.running = (async () => {
      // The columns reads filter and order on; sampling the bodies would cost most and serve nothing.
      await sql`ANALYZE events (type, org, tx_id, position)`.execute(this.db);
      this.sampledRows = Math.max(0, (await sampledEvents(this.db))?.rows ?? 0);
    })()
      // A failed analysis leaves the plans as they were; the next append past the rule tries again.
      .catch(() => {})
      .finally(() => {
        this.running = null;
      });
  }
}

import type { Kysely } from 'kysely';

/** What one table group's rebuild did. */
export interface RebuildOutcome {
  /** Events read from the org chains. */
  events: number;
  /** Rows per table after the rebuild. */
  rows: Record<string, number>;
  /**
   * Rows the events describe that could not be written back, per table: their secret columns (token
   * or code hashes) were only in a row that no longer exists, and no event holds them.
   */
  unrecoverable?: Record<string, number>;
}

/** A group of inline tables rebuilt together in one transaction. */
export interface InlineTableGroup {
  name: string;
  tables: readonly string[];
  rebuild(trx: Kysely<unknown>): Promise<RebuildOutcome>;
}

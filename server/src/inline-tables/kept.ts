import { canonicalJson } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';

/**
 * The JSON text a rebuilt row stores: the live text when it means the same value (its key order came
 * from the request, the event's from canonical JSON), else the derived value.
 */
export function jsonText(live: string | undefined, derived: unknown): string {
  if (live !== undefined) {
    try {
      if (canonicalJson(JSON.parse(live)) === canonicalJson(derived)) return live;
    } catch {
      // A live text that is not JSON is corrupt: the derived value replaces it.
    }
  }
  return JSON.stringify(derived);
}

/**
 * The instant a row records: the live one, taken from the writer's clock a moment before its event
 * was stamped; the event's time when the row lost it.
 */
export const instant = (live: Date | null | undefined, eventTime: string): Date =>
  live ?? new Date(eventTime);

/** The live rows by key, read before they are deleted, for the columns no event holds. */
export async function liveRows<Row>(
  trx: Kysely<unknown>,
  table: string,
  key: (row: Row) => string,
): Promise<Map<string, Row>> {
  const { rows } = await sql<Row>`SELECT * FROM ${sql.table(table)}`.execute(trx);
  return new Map(rows.map((row) => [key(row), row]));
}

/**
 * Holds off writers of the tables until the rebuild commits (readers go on seeing the old rows), so an
 * append with its inline rows cannot land between the events read and the rows written.
 */
export async function lockTables(trx: Kysely<unknown>, tables: readonly string[]): Promise<void> {
  await sql`LOCK TABLE ${sql.join(tables.map((t) => sql.table(t)))} IN EXCLUSIVE MODE`.execute(trx);
}

/** Inserts rows in chunks (one statement each), columns in the order of the first row. */
export async function insertRows(
  trx: Kysely<unknown>,
  table: string,
  rows: readonly object[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      VALUES ${sql.join(chunk.map((row) => sql`(${sql.join(columns.map((c) => (row as Record<string, unknown>)[c]))})`))}`.execute(
      trx,
    );
  }
}

export async function deleteAll(trx: Kysely<unknown>, table: string): Promise<void> {
  await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
}

/**
 * A global cursor is `<transaction id>.<position>`. Readers only see transactions older
 * than every one still running (Postgres' snapshot xmin), so an event committed late by a
 * slow concurrent transaction is never skipped; ordering by (transaction id, position) is total.
 */
export interface CursorParts {
  txId: bigint;
  position: bigint;
}

export const START_CURSOR = '0.0';

export function parseCursor(cursor: string | undefined): CursorParts {
  if (cursor === undefined) return { txId: 0n, position: 0n };
  const match = /^(\d{1,20})\.(\d{1,20})$/.exec(cursor);
  if (!match) throw new RangeError(`not a cursor: ${cursor}`);
  return { txId: BigInt(match[1]!), position: BigInt(match[2]!) };
}

export const formatCursor = (txId: bigint | string, position: bigint | string): string =>
  `${txId}.${position}`;

export function compareCursors(a: string, b: string): number {
  const x = parseCursor(a);
  const y = parseCursor(b);
  if (x.txId !== y.txId) return x.txId < y.txId ? -1 : 1;
  if (x.position !== y.position) return x.position < y.position ? -1 : 1;
  return 0;
}

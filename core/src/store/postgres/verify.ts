import type { Kysely } from 'kysely';
import { sha256Hex } from '../../crypto/sha256.js';
import { type EventEnvelope, GENESIS_PREV } from '../../events/envelope.js';
import type { ChainVerification } from '../event-store.js';
import { readChainRows, readOrgRows } from './read.js';

const PAGE = 20_000;

/**
 * Walks an org's chain in seq order and recomputes every hash and link. Returns the
 * first seq that breaks and why, so an operator knows where tampering or loss begins.
 * The next page is fetched while the current one is checked.
 */
export async function verifyChain(
  db: Kysely<unknown>,
  options: { org: string; fromSeq?: number; toSeq?: number },
): Promise<ChainVerification> {
  const { org } = options;
  const fromSeq = Math.max(1, options.fromSeq ?? 1);
  const toSeq = options.toSeq ?? Number.MAX_SAFE_INTEGER;
  let expectedSeq = fromSeq;
  let prevHash: string | undefined = GENESIS_PREV;
  if (fromSeq > 1) {
    const [before] = await readOrgRows(db, { org, fromSeq: fromSeq - 1, toSeq: fromSeq - 1, limit: 1 });
    prevHash = before?.hash;
  }
  let checked = 0;
  const fail = (seq: number, reason: string): ChainVerification => ({ ok: false, checked, seq, reason });
  const fetchPage = (from: number) => readChainRows(db, { org, fromSeq: from, toSeq, limit: PAGE });

  let pending = fetchPage(expectedSeq);
  for (;;) {
    const rows = await pending;
    const last = rows[rows.length - 1];
    const more = rows.length === PAGE && last !== undefined && Number(last.seq) < toSeq;
    if (more) pending = fetchPage(Number(last.seq) + 1);
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return fail(expectedSeq, `seq ${expectedSeq} is missing`);
      if (sha256Hex(row.body) !== row.hash) return fail(seq, 'hash does not match the envelope');
      let envelope: Omit<EventEnvelope, 'hash'>;
      try {
        envelope = JSON.parse(row.body) as Omit<EventEnvelope, 'hash'>;
      } catch {
        return fail(seq, 'envelope is not valid JSON');
      }
      if (envelope.org !== org) return fail(seq, `envelope belongs to org ${String(envelope.org)}`);
      if (envelope.seq !== seq) return fail(seq, `envelope says seq ${String(envelope.seq)}`);
      if (prevHash !== undefined && envelope.prev !== prevHash) {
        return fail(
          seq,
          seq === 1 ? 'prev of seq 1 is not 64 zeros' : `prev does not match the hash of seq ${seq - 1}`,
        );
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (!more) break;
  }
  const head = checked > 0 ? { seq: expectedSeq - 1, hash: prevHash as string } : null;
  return { ok: true, checked, head };
}

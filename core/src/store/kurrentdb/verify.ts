import { sha256Hex } from '../../crypto/sha256.js';
import type { ChainVerification } from '../event-store.js';
import { bodyText, type ReadRecord } from './records.js';

/**
 * Walks an org's stream as it is read and recomputes every hash and link, the checks of the SQL
 * store's `verifyChain` in the same order, so both name the same first broken seq and reason.
 * `prevHash` is the hash of seq `fromSeq - 1` (64 zeros before seq 1; undefined when it is missing).
 */
export async function verifyRecords(
  records: AsyncIterable<ReadRecord>,
  options: { org: string; fromSeq: number; toSeq: number; prevHash: string | undefined },
): Promise<ChainVerification> {
  const { org, toSeq } = options;
  let { prevHash } = options;
  let expectedSeq = options.fromSeq;
  let checked = 0;
  const fail = (seq: number, reason: string): ChainVerification => ({ ok: false, checked, seq, reason });
  for await (const record of records) {
    const seq = record.seq;
    if (seq > toSeq) break;
    if (seq !== expectedSeq) return fail(expectedSeq, `seq ${expectedSeq} is missing`);
    if (sha256Hex(bodyText(record)) !== record.hash) return fail(seq, 'hash does not match the envelope');
    if (record.body.org !== org) return fail(seq, `envelope belongs to org ${String(record.body.org)}`);
    if (record.body.seq !== seq) return fail(seq, `envelope says seq ${String(record.body.seq)}`);
    if (prevHash !== undefined && record.body.prev !== prevHash)
      return fail(
        seq,
        seq === 1 ? 'prev of seq 1 is not 64 zeros' : `prev does not match the hash of seq ${seq - 1}`,
      );
    prevHash = record.hash;
    expectedSeq += 1;
    checked += 1;
  }
  const head = checked > 0 ? { seq: expectedSeq - 1, hash: prevHash as string } : null;
  return { ok: true, checked, head };
}

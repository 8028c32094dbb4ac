import { InclusionCache } from '../chain/inclusion-cache.js';
import type { MerkleHasher } from '../chain/merkle.js';
import { ProofsParser } from './proofs-parser.js';
import type { CheckLog } from './report.js';

/**
 * Checks proofs.json as it streams in: one proof per event, none for events not in the pack, each
 * leading from the event's hash to the checkpoint root.
 */
export function checkProofs(options: {
  hasher: MerkleHasher;
  size: number;
  root: Uint8Array;
  seqs: number[];
  leaves: Uint8Array;
  log: CheckLog;
}): { push(chunk: Uint8Array): void; finish(): void } {
  const { seqs, leaves, log } = options;
  const cache = new InclusionCache(options.hasher, options.size, options.root);
  const seen = new Uint8Array(seqs.length);
  const lookup = seqIndex(seqs);
  const parser = new ProofsParser((seq, path, n) => {
    const i = lookup(seq);
    if (i < 0)
      return log.fail(
        'proofs.coverage',
        `proofs.json has a proof for seq ${seq}, which the pack does not hold`,
        seq,
      );
    if (seen[i]) return log.fail('proofs.coverage', `proofs.json has two proofs for seq ${seq}`, seq);
    seen[i] = 1;
    if (!cache.verify(seq - 1, leaves.subarray(i * 32, i * 32 + 32), path, n))
      log.fail('proofs.inclusion', `seq ${seq}: inclusion proof does not lead to the checkpoint root`, seq);
  });
  return {
    push: (chunk) => parser.push(chunk),
    finish() {
      parser.finish();
      if (parser.error)
        log.fail('proofs.format', `proofs.json is not a map of seq to hex audit path: ${parser.error}`);
      else log.pass('proofs.format', 'proofs.json maps seqs to hex audit paths');
      if (!parser.error)
        for (let i = 0; i < seqs.length; i++)
          if (!seen[i]) log.fail('proofs.coverage', `seq ${seqs[i]} has no inclusion proof`, seqs[i]);
      log.settle('proofs.coverage', 'every event has exactly one proof, and every proof an event');
      log.settle('proofs.inclusion', `every event is included in the checkpoint's tree of ${options.size}`);
    },
  };
}

/** Position of a seq among the pack's events; a forward cursor makes ascending lookups O(1). */
function seqIndex(seqs: number[]): (seq: number) => number {
  let ascending = true;
  for (let i = 1; i < seqs.length && ascending; i++) ascending = seqs[i]! > seqs[i - 1]!;
  if (!ascending) {
    const map = new Map<number, number>();
    seqs.forEach((s, i) => {
      if (!map.has(s)) map.set(s, i);
    });
    return (seq) => map.get(seq) ?? -1;
  }
  let cursor = 0;
  return (seq) => {
    if (seqs[cursor] === seq) return cursor++;
    let lo = 0;
    let hi = seqs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = seqs[mid]!;
      if (v === seq) {
        cursor = mid + 1;
        return mid;
      }
      if (v < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
}

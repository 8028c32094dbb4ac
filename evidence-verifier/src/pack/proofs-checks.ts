import { FullTree } from '../chain/full-tree.js';
import { InclusionCache } from '../chain/inclusion-cache.js';
import { bytesToWords } from '../chain/merkle-words.js';
import { ProofsParser } from './proofs-parser.js';
import type { CheckLog } from './report.js';

/**
 * Checks proofs.json as it streams in: one proof per event, none for events not in the pack, each
 * leading from the event's hash to the checkpoint root.
 */
export function checkProofs(options: {
  size: number;
  root: Uint8Array;
  seqs: number[];
  leaves: Uint8Array;
  log: CheckLog;
}): { push(chunk: Uint8Array): void; finish(): void } {
  const { seqs, leaves, log } = options;
  const verify = inclusionVerifier(options.size, options.root, seqs, leaves);
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
    if (!verify(i, seq - 1, path, n))
      log.fail('proofs.inclusion', `seq ${seq}: inclusion proof does not lead to the checkpoint root`, seq);
  });
  return {
    push: (chunk) => parser.push(chunk),
    finish() {
      parser.finish();
      if (parser.error)
        log.fail('proofs.format', `proofs.json is not a map of seq to hex audit path: ${parser.error}`);
      else log.pass('proofs.format', FORMAT_PASSED);
      if (!parser.error)
        for (let i = 0; i < seqs.length; i++)
          if (!seen[i]) log.fail('proofs.coverage', `seq ${seqs[i]} has no inclusion proof`, seqs[i]);
      settleProofs(log, options.size);
    },
  };
}

const FORMAT_PASSED = 'proofs.json maps seqs to hex audit paths';

/** Logs what `checkProofs` logs for proofs that all hold (shown another way, e.g. on another thread). */
export function passAllProofs(log: CheckLog, size: number): void {
  log.pass('proofs.format', FORMAT_PASSED);
  settleProofs(log, size);
}

/** Settles the proof checks: passed unless a failure was logged. */
export function settleProofs(log: CheckLog, size: number): void {
  log.settle('proofs.coverage', 'every event has exactly one proof, and every proof an event');
  log.settle('proofs.inclusion', `every event is included in the checkpoint's tree of ${size}`);
}

/**
 * Checks one proof of the event at position `i`. A pack that holds every event of the checkpoint
 * hashes the whole tree once and compares paths to it; any other pack, or a full one whose tree
 * does not reach the checkpoint root, checks each proof by hashing up its path.
 */
function inclusionVerifier(
  size: number,
  root: Uint8Array,
  seqs: number[],
  leaves: Uint8Array,
): (i: number, leafIndex: number, path: Int32Array, n: number) => boolean {
  const rootWords = new Int32Array(8);
  bytesToWords(root, 0, rootWords, 0);
  if (holdsWholeChain(seqs, size)) {
    const tree = new FullTree(leaves, size);
    if (tree.hasRoot(rootWords)) return (_i, leafIndex, path, n) => tree.verify(leafIndex, path, n);
  }
  const cache = new InclusionCache(size, root);
  const leaf = new Int32Array(8);
  return (i, leafIndex, path, n) => {
    bytesToWords(leaves, i * 32, leaf, 0);
    return cache.verify(leafIndex, leaf, 0, path, n);
  };
}

/** Are the pack's events exactly seq 1 to `size`, in order? */
export function holdsWholeChain(seqs: number[], size: number): boolean {
  if (size < 1 || seqs.length !== size) return false;
  for (let i = 0; i < size; i++) if (seqs[i] !== i + 1) return false;
  return true;
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

import type { RatioLimits } from './inflate.js';
import type { PackSource } from './source.js';
import type { ZipEntry } from './zip-directory.js';

/** What a helper thread needs to check proofs.json on its own. */
export interface ParallelProofsInput {
  /** The archive; the helper reads the entry from it by offset, or declines if it cannot. */
  source: PackSource;
  entry: ZipEntry;
  /** Largest proofs.json accepted, in bytes. */
  limit: number;
  /** The inflation caps, applied as on the calling thread. */
  ratio: RatioLimits;
  checkpointSize: number;
  /** The checkpoint root, 32 bytes. */
  root: Uint8Array;
}

/** What such a helper concluded: the file's SHA-256, and whether every proof was shown to hold. */
export interface ParallelProofsResult {
  sha256: string;
  allHold: boolean;
}

/** One run of the helper, fed the event hashes as events.jsonl is read. */
export interface ParallelProofsRun {
  /** The next event hashes, 32 bytes each, in file order; the view is only valid during the call. */
  addLeaves(hashes: Uint8Array): void;
  /** Called once every leaf is in; undefined when the helper could not finish. */
  result(): Promise<ParallelProofsResult | undefined>;
  cancel(): void;
}

/**
 * Checks the proofs of a pack that holds the whole chain on another thread, while this one reads
 * the events (Node's CLI injects one built on worker threads). It may decline (undefined). Its
 * answer is used only when the events turn out to be exactly seq 1 to the checkpoint size and it
 * shows every proof to hold; otherwise the proofs are checked here one by one, which also names
 * each failure, so the report is the same either way.
 */
export type ParallelProofs = (input: ParallelProofsInput) => ParallelProofsRun | undefined;

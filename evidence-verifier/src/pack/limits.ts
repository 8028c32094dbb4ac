/**
 * Bounds on what a verifier accepts, so hostile archives cannot exhaust memory or time. None of
 * them depends on the archive being read whole: it is read by offset, and what inflating produces
 * is bounded by the per-entry and total caps and the inflation ratio.
 */
export interface PackLimits {
  /** Largest archive accepted, in bytes. Only its tail, directory and entries are read. */
  archiveBytes: number;
  /** Most central-directory entries read before refusing. */
  entries: number;
  manifestBytes: number;
  signatureBytes: number;
  eventsBytes: number;
  proofsBytes: number;
  /** Most uncompressed bytes of all entries together. */
  totalBytes: number;
  /**
   * Highest ratio of an entry's uncompressed to compressed size. Events and proofs are mostly
   * random hex, which DEFLATE shrinks a few times at most; a zip bomb shrinks up to 1032 times.
   */
  inflationRatio: number;
  /** Entries no larger than this, uncompressed, are exempt from the ratio (a tiny file may shrink a lot). */
  ratioExemptBytes: number;
  /** Longest single line of events.jsonl. */
  lineBytes: number;
  /** Deepest JSON nesting in the manifest and in an event. */
  depth: number;
}

export const DEFAULT_LIMITS: PackLimits = {
  archiveBytes: 2 ** 33,
  entries: 64,
  manifestBytes: 1024 * 1024,
  signatureBytes: 1024,
  eventsBytes: 2 ** 32 - 1,
  proofsBytes: 2 ** 32 - 1,
  totalBytes: 6 * 2 ** 30,
  inflationRatio: 100,
  ratioExemptBytes: 1024 * 1024,
  lineBytes: 4 * 1024 * 1024,
  depth: 64,
};
